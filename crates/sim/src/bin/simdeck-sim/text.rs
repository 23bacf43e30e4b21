//! The human-readable trace printed by `simdeck-sim run --format text`.
//!
//! Contract: one line per step, `#step  time  object  kind  detail  [rule id:
//! says — source]`, framed by a title line and an end line, then the final
//! state as pretty JSON.

use sim_core::{Header, SimTime, StepRecord, Trace};

/// One step as a line: `#3  0.200s  cgroup cpu:/demo  throttled  ...  [id: says — source]`.
pub fn event_line(event: &StepRecord) -> String {
    format!(
        "#{}  {}  {}  {}  {}  [{}: {} — {}]",
        event.step,
        SimTime::from_nanos(event.time_ns),
        event.object,
        event.kind,
        event.detail,
        event.rule.id,
        event.rule.says,
        event.rule.source
    )
}

/// The whole text report of a run of the scenario `header`.
pub fn report(header: &Header, trace: &Trace) -> String {
    let mut text = format!(
        "# {} (simulator {}, seed {})\n",
        header.title, header.simulator, trace.seed
    );
    for event in &trace.steps {
        text.push_str(&event_line(event));
        text.push('\n');
    }
    let steps = trace.steps.len();
    text.push_str(&if trace.finished {
        format!("# finished after {steps} steps\n")
    } else {
        format!("# stopped after {steps} steps; the script goes on\n")
    });
    text.push_str("final state:\n");
    text.push_str(&serde_json::to_string_pretty(&trace.final_state).unwrap_or_default());
    text.push('\n');
    text
}

#[cfg(test)]
mod tests {
    use super::*;
    use sim_core::Rule;

    #[test]
    fn a_step_line_carries_every_field_in_order() {
        let event = StepRecord {
            step: 3,
            time_ns: SimTime::from_millis(1250).as_nanos(),
            object: "cgroup cpu:/demo".into(),
            kind: "throttled".into(),
            detail: "quota spent".into(),
            rule: Rule {
                id: "cfs.throttle",
                says: "A group that has spent its quota waits.",
                source: "kernel sched-bwc",
            },
        };
        assert_eq!(
            event_line(&event),
            "#3  1.250s  cgroup cpu:/demo  throttled  quota spent  [cfs.throttle: A group that has spent its quota waits. — kernel sched-bwc]"
        );
    }

    #[test]
    fn the_report_says_whether_the_script_finished_and_ends_with_the_state() {
        let header = Header {
            title: "Shares".into(),
            simulator: "cgroups".into(),
            slides: vec![8],
            seed: 1,
            description: String::new(),
            clicks: Vec::new(),
            what_if: Vec::new(),
        };
        let trace = Trace {
            seed: 4,
            inputs: Vec::new(),
            steps: Vec::new(),
            finished: false,
            final_state: serde_json::json!({ "a": 1 }),
        };
        let text = report(&header, &trace);
        assert!(
            text.starts_with("# Shares (simulator cgroups, seed 4)\n"),
            "{text}"
        );
        assert!(text.contains("# stopped after 0 steps"), "{text}");
        assert!(text.ends_with("final state:\n{\n  \"a\": 1\n}\n"), "{text}");
    }
}
