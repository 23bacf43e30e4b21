//! Code-block click ranges: `{1-3|5-6|all|*}`.

use crate::LineSelection;

/// A problem in a range, at a character offset inside the braces.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct RangeError {
    /// Offset in characters from the first character after `{`.
    pub offset: usize,
    /// What is wrong and what was expected.
    pub message: String,
}

/// Parses the text between `{` and `}`: steps separated by `|`, each `all`,
/// `*`, or comma-separated lines and inclusive ranges (`1-3,5`).
pub(crate) fn parse_steps(text: &str) -> Result<Vec<LineSelection>, RangeError> {
    let mut steps = Vec::new();
    let mut offset = 0;
    for step in text.split('|') {
        steps.push(parse_step(step, offset)?);
        offset += step.chars().count() + 1;
    }
    Ok(steps)
}

fn parse_step(step: &str, offset: usize) -> Result<LineSelection, RangeError> {
    let trimmed = step.trim();
    if trimmed.is_empty() || trimmed == "all" || trimmed == "*" {
        return Ok(LineSelection::All);
    }
    let mut ranges = Vec::new();
    let mut part_offset = offset;
    for part in step.split(',') {
        let lead = part.chars().take_while(|c| c.is_whitespace()).count();
        let p = part.trim();
        let (a, b) = match p.split_once('-') {
            Some((a, b)) => (a, b),
            None => (p, p),
        };
        let first = line_number(a, part_offset + lead)?;
        let b_offset = part_offset
            + lead
            + if a.len() < p.len() {
                a.chars().count() + 1
            } else {
                0
            };
        let last = line_number(b, b_offset)?;
        if last < first {
            return Err(RangeError {
                offset: part_offset + lead,
                message: format!("range `{p}` ends before it starts: expected `{last}-{first}`"),
            });
        }
        ranges.push((first, last));
        part_offset += part.chars().count() + 1;
    }
    Ok(LineSelection::Ranges(ranges))
}

fn line_number(text: &str, offset: usize) -> Result<usize, RangeError> {
    match text.trim().parse::<usize>() {
        Ok(n) if n >= 1 => Ok(n),
        _ => Err(RangeError {
            offset,
            message: format!(
                "`{}` is not a line number: expected lines like `5` or `1-3`, joined by `,`, steps separated by `|`, or `all` / `*`",
                text.trim()
            ),
        }),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use LineSelection::*;

    #[test]
    fn parses_the_seed_ranges() {
        assert_eq!(
            parse_steps("1-3|5-6|8-11|13-18|20").unwrap(),
            vec![
                Ranges(vec![(1, 3)]),
                Ranges(vec![(5, 6)]),
                Ranges(vec![(8, 11)]),
                Ranges(vec![(13, 18)]),
                Ranges(vec![(20, 20)]),
            ]
        );
        assert_eq!(
            parse_steps("all|3|4").unwrap(),
            vec![All, Ranges(vec![(3, 3)]), Ranges(vec![(4, 4)])]
        );
        assert_eq!(parse_steps("*").unwrap(), vec![All]);
        assert_eq!(
            parse_steps("1,3-4").unwrap(),
            vec![Ranges(vec![(1, 1), (3, 4)])]
        );
    }

    #[test]
    fn bad_ranges_point_at_the_bad_part() {
        let e = parse_steps("1-x").unwrap_err();
        assert_eq!(e.offset, 2);
        assert!(
            e.message.contains("`x` is not a line number"),
            "{}",
            e.message
        );
        assert_eq!(parse_steps("1|0").unwrap_err().offset, 2);
        let e = parse_steps("2|5-3").unwrap_err();
        assert_eq!(e.offset, 2);
        assert!(e.message.contains("ends before it starts"));
    }
}
