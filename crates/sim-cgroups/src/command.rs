//! The parser of the deck's shell commands: the literal lines a scenario's
//! `script` holds, turned into [`Command`]s.
//!
//! Contract: [`parse_line`] accepts exactly the commands and options listed in
//! [`COMMANDS`] (and `NAME=$(uuidgen)` / `NAME=value`), and otherwise returns a
//! [`ParseError`] at the byte offset of the offending word, naming what is
//! allowed. `$NAME` and `${NAME}` in words are kept and expanded when the
//! command runs. A trailing `&` runs a command in the background.

use crate::controller::Controller;
use crate::kubelet::ContainerResources;
use crate::program::{Launch, Program, Unshare};
use crate::script::{Command, Target, Word};
use crate::units::{duration_ns, memparse, MAX_BYTES};
use sim_core::quantity::{bytes as kube_bytes, milli_cpu as kube_milli_cpu};
use sim_core::sorted::sort_stable_by;

/// The commands a script line may start with.
pub const COMMANDS: &str = "cgcreate, cgset, cgexec, cgdelete, rmdir, ls, cat, echo, sleep, exit, hostname, ip, stress, dd, unshare, sh, kubelet, NAME=$(uuidgen)";

/// A problem at byte `offset` of a line.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ParseError {
    /// Byte offset in the line.
    pub offset: usize,
    /// What is wrong and what is allowed.
    pub message: String,
}

#[derive(Debug, Clone)]
struct Token {
    text: String,
    offset: usize,
}

fn error(offset: usize, message: impl Into<String>) -> ParseError {
    ParseError {
        offset,
        message: message.into(),
    }
}

fn tokenize(line: &str) -> Result<Vec<Token>, ParseError> {
    let mut tokens = Vec::new();
    let mut chars = line.char_indices().peekable();
    while let Some(&(start, c)) = chars.peek() {
        if c.is_whitespace() {
            chars.next();
            continue;
        }
        let mut text = String::new();
        while let Some(&(at, c)) = chars.peek() {
            if c.is_whitespace() {
                break;
            }
            chars.next();
            if c == '"' || c == '\'' {
                let mut closed = false;
                for (_, q) in chars.by_ref() {
                    if q == c {
                        closed = true;
                        break;
                    }
                    text.push(q);
                }
                if !closed {
                    return Err(error(at, format!("unterminated {c} quote")));
                }
            } else {
                text.push(c);
            }
        }
        tokens.push(Token {
            text,
            offset: start,
        });
    }
    Ok(tokens)
}

/// Parses one script line.
pub fn parse_line(line: &str) -> Result<Command, ParseError> {
    let mut tokens = tokenize(line)?;
    let mut background = false;
    if let Some(last) = tokens.last_mut() {
        if last.text == "&" {
            tokens.pop();
            background = true;
        } else if let Some(stripped) = last.text.strip_suffix('&') {
            last.text = stripped.to_string();
            background = true;
        }
    }
    let Some(first) = tokens.first() else {
        return Err(error(0, format!("empty line; expected one of: {COMMANDS}")));
    };
    if let Some((name, value)) = first.text.split_once('=') {
        return assignment(first, name, value, tokens.len());
    }
    let rest = &tokens[1..];
    let end = line.len();
    let command = match first.text.as_str() {
        "cgcreate" => Command::Cgcreate {
            targets: group_options(rest, end, "cgcreate")?.1,
        },
        "cgset" => cgset(rest, end)?,
        "cgexec" => cgexec(rest, end, background)?,
        "cgdelete" => {
            let (recursive, targets) = group_options(rest, end, "cgdelete")?;
            Command::Cgdelete { recursive, targets }
        }
        "rmdir" => Command::Rmdir {
            path: single_path(rest, end, "rmdir")?,
        },
        "ls" => match rest {
            [flag, path] if flag.text == "-l" => Command::List {
                path: Word(path.text.clone()),
            },
            [t, ..] if t.text != "-l" => {
                return Err(error(t.offset, "ls: only `ls -l DIRECTORY` is simulated"))
            }
            _ => return Err(error(end, "ls: expected `ls -l DIRECTORY`")),
        },
        "cat" => Command::Cat {
            path: single_path(rest, end, "cat")?,
        },
        "echo" => Command::Echo {
            words: rest.iter().map(|t| Word(t.text.clone())).collect(),
        },
        "sleep" => match rest {
            [t] => Command::Sleep {
                ns: duration_ns(&t.text).ok_or_else(|| {
                    error(
                        t.offset,
                        format!(
                            "sleep: invalid duration `{}`; expected seconds like 3, 0.5 or 2s",
                            t.text
                        ),
                    )
                })?,
            },
            _ => return Err(error(end, "sleep: expected one duration, e.g. `sleep 3`")),
        },
        "exit" => no_arguments(rest, Command::Exit, "exit")?,
        "hostname" => match rest {
            [] => Command::Hostname { name: None },
            [t] => Command::Hostname {
                name: Some(Word(t.text.clone())),
            },
            [_, t, ..] => return Err(error(t.offset, "hostname: expected at most one name")),
        },
        "ip" => match rest {
            [t] if t.text == "link" => Command::IpLink,
            _ => return Err(error(first.offset, "ip: only `ip link` is simulated")),
        },
        "kubelet" => kubelet(rest, end)?,
        _ => Command::Run {
            launch: launch(&tokens, end, background)?,
        },
    };
    if background && !matches!(command, Command::Run { .. } | Command::Cgexec { .. }) {
        return Err(error(
            end.saturating_sub(1),
            "`&` is only allowed after a program (stress, dd, or cgexec ...)",
        ));
    }
    Ok(command)
}

fn assignment(first: &Token, name: &str, value: &str, count: usize) -> Result<Command, ParseError> {
    let valid_name = !name.is_empty()
        && name.chars().all(|c| c.is_ascii_alphanumeric() || c == '_')
        && !name.starts_with(|c: char| c.is_ascii_digit());
    if !valid_name {
        return Err(error(
            first.offset,
            format!("`{name}` is not a variable name"),
        ));
    }
    if count > 1 {
        return Err(error(
            first.offset,
            "an assignment takes one word, e.g. `UUID=$(uuidgen)`",
        ));
    }
    if value == "$(uuidgen)" {
        return Ok(Command::Uuidgen {
            name: name.to_string(),
        });
    }
    if value.contains("$(") {
        return Err(error(
            first.offset + name.len() + 1,
            "only `$(uuidgen)` command substitution is simulated",
        ));
    }
    Ok(Command::Assign {
        name: name.to_string(),
        value: Word(value.to_string()),
    })
}

fn no_arguments(rest: &[Token], command: Command, name: &str) -> Result<Command, ParseError> {
    match rest.first() {
        Some(t) => Err(error(t.offset, format!("{name} takes no arguments"))),
        None => Ok(command),
    }
}

fn single_path(rest: &[Token], end: usize, name: &str) -> Result<Word, ParseError> {
    match rest {
        [t] => Ok(Word(t.text.clone())),
        [_, t, ..] => Err(error(t.offset, format!("{name}: expected one path"))),
        [] => Err(error(
            end,
            format!("{name}: expected a path under /sys/fs/cgroup"),
        )),
    }
}

fn target(token: &Token) -> Result<Target, ParseError> {
    let Some((list, path)) = token.text.split_once(':') else {
        return Err(error(
            token.offset,
            format!(
                "`{}`: expected CONTROLLERS:PATH, e.g. cpu,memory:demo",
                token.text
            ),
        ));
    };
    let mut controllers = Vec::new();
    for name in list.split(',') {
        let controller = Controller::parse(name).ok_or_else(|| {
            error(
                token.offset,
                format!("unknown controller `{name}`; allowed: cpu, cpuacct, memory"),
            )
        })?;
        if !controllers.contains(&controller) {
            controllers.push(controller);
        }
    }
    sort_stable_by(&mut controllers, Ord::cmp);
    if path.is_empty() {
        return Err(error(
            token.offset + list.len() + 1,
            "empty cgroup path after `:`",
        ));
    }
    Ok(Target {
        controllers,
        path: Word(path.to_string()),
    })
}

/// `[-r] -g t [-g t ...]`, as cgcreate and cgdelete take.
fn group_options(
    rest: &[Token],
    end: usize,
    name: &str,
) -> Result<(bool, Vec<Target>), ParseError> {
    let mut recursive = false;
    let mut targets = Vec::new();
    let mut i = 0;
    while let Some(t) = rest.get(i) {
        match t.text.as_str() {
            "-r" if name == "cgdelete" => recursive = true,
            "-g" => {
                let value = rest
                    .get(i + 1)
                    .ok_or_else(|| error(end, format!("{name}: -g needs CONTROLLERS:PATH")))?;
                targets.push(target(value)?);
                i += 1;
            }
            other => {
                let allowed = if name == "cgdelete" { "-r, -g" } else { "-g" };
                return Err(error(
                    t.offset,
                    format!("{name}: unknown option `{other}`; allowed: {allowed}"),
                ));
            }
        }
        i += 1;
    }
    if targets.is_empty() {
        return Err(error(end, format!("{name}: expected -g CONTROLLERS:PATH")));
    }
    Ok((recursive, targets))
}

fn cgset(rest: &[Token], end: usize) -> Result<Command, ParseError> {
    let mut writes = Vec::new();
    let mut groups = Vec::new();
    let mut i = 0;
    while let Some(t) = rest.get(i) {
        if t.text == "-r" {
            let value = rest
                .get(i + 1)
                .ok_or_else(|| error(end, "cgset: -r needs FILE=VALUE"))?;
            let (file, v) = value.text.split_once('=').ok_or_else(|| {
                error(
                    value.offset,
                    "cgset: expected FILE=VALUE, e.g. cpu.shares=512",
                )
            })?;
            writes.push((file.to_string(), Word(v.to_string())));
            i += 2;
        } else if t.text.starts_with('-') {
            return Err(error(
                t.offset,
                format!("cgset: unknown option `{}`; allowed: -r", t.text),
            ));
        } else {
            groups.push(Word(t.text.clone()));
            i += 1;
        }
    }
    if writes.is_empty() {
        return Err(error(end, "cgset: expected -r FILE=VALUE"));
    }
    if groups.is_empty() {
        return Err(error(
            end,
            "cgset: expected the group path after the -r options",
        ));
    }
    Ok(Command::Cgset { writes, groups })
}

fn cgexec(rest: &[Token], end: usize, background: bool) -> Result<Command, ParseError> {
    let mut targets = Vec::new();
    let mut i = 0;
    while let Some(t) = rest.get(i) {
        if t.text != "-g" {
            break;
        }
        let value = rest
            .get(i + 1)
            .ok_or_else(|| error(end, "cgexec: -g needs CONTROLLERS:PATH"))?;
        targets.push(target(value)?);
        i += 2;
    }
    if targets.is_empty() {
        return Err(error(
            rest.first().map_or(end, |t| t.offset),
            "cgexec: expected -g CONTROLLERS:PATH before the program",
        ));
    }
    Ok(Command::Cgexec {
        targets,
        launch: launch(&rest[i..], end, background)?,
    })
}

fn launch(tokens: &[Token], end: usize, background: bool) -> Result<Launch, ParseError> {
    let mut unshare = Unshare::default();
    let mut program_at = 0;
    if tokens.first().is_some_and(|t| t.text == "unshare") {
        program_at = 1;
        while let Some(t) = tokens.get(program_at) {
            match t.text.as_str() {
                "--uts" | "-u" => unshare.uts = true,
                "--ipc" | "-i" => unshare.ipc = true,
                "--net" | "-n" => unshare.net = true,
                other if other.starts_with('-') => {
                    return Err(error(
                        t.offset,
                        format!("unshare: option `{other}` is not simulated; allowed: --uts, --ipc, --net (PID, mount, user and cgroup namespaces stay the host's)"),
                    ))
                }
                _ => break,
            }
            program_at += 1;
        }
    }
    let Some(name) = tokens.get(program_at) else {
        return Err(error(end, "expected a program: sh, bash, stress or dd"));
    };
    let args = &tokens[program_at + 1..];
    let program = match name.text.as_str() {
        "sh" | "bash" => {
            if let Some(t) = args.first() {
                return Err(error(
                    t.offset,
                    "the shell is interactive: it takes no arguments",
                ));
            }
            if background {
                return Err(error(
                    end.saturating_sub(1),
                    "an interactive shell cannot run in the background",
                ));
            }
            Program::Shell
        }
        "stress" => stress(args, end, background, name.offset)?,
        "dd" => dd(args, end)?,
        other => {
            return Err(error(
                name.offset,
                format!("unknown command `{other}`; allowed: {COMMANDS}"),
            ))
        }
    };
    Ok(Launch {
        unshare,
        program,
        background,
    })
}

fn stress(args: &[Token], end: usize, background: bool, at: usize) -> Result<Program, ParseError> {
    let (mut cpu, mut vm, mut vm_bytes, mut timeout_ns) = (0u32, 0u32, 256u64 << 20, None);
    let mut i = 0;
    while let Some(option) = args.get(i) {
        let value = args
            .get(i + 1)
            .ok_or_else(|| error(end, format!("stress: {} needs a value", option.text)))?;
        let bad = |what: &str| {
            error(
                value.offset,
                format!(
                    "stress: {} expects {what}, got `{}`",
                    option.text, value.text
                ),
            )
        };
        match option.text.as_str() {
            "--cpu" | "-c" => cpu = value.text.parse().map_err(|_| bad("a number of workers"))?,
            "--vm" | "-m" => vm = value.text.parse().map_err(|_| bad("a number of workers"))?,
            "--vm-bytes" => {
                vm_bytes = memparse(&value.text).ok_or_else(|| bad("bytes like 150M"))?;
                if vm_bytes > MAX_BYTES {
                    return Err(error(
                        value.offset,
                        format!(
                            "stress: --vm-bytes {} is too large; the simulation takes at most 1 PiB",
                            value.text
                        ),
                    ));
                }
            }
            "--timeout" | "-t" => {
                timeout_ns = Some(duration_ns(&value.text).ok_or_else(|| bad("a duration like 3s"))?)
            }
            "--vm-hang" => {
                if value.text != "0" {
                    return Err(bad("0 (workers keep their memory)"));
                }
            }
            other => {
                return Err(error(
                    option.offset,
                    format!("stress: unknown option `{other}`; allowed: --cpu, --vm, --vm-bytes, --vm-hang 0, --timeout"),
                ))
            }
        }
        i += 2;
    }
    if cpu == 0 && vm == 0 {
        return Err(error(at, "stress: expected --cpu N and/or --vm N"));
    }
    if cpu.saturating_add(vm) > 4096 {
        return Err(error(at, "stress: at most 4096 workers are simulated"));
    }
    if timeout_ns.is_none() && !background {
        return Err(error(
            at,
            "stress in the foreground needs --timeout (or end the line with `&`)",
        ));
    }
    Ok(Program::Stress {
        cpu,
        vm,
        vm_bytes,
        timeout_ns,
    })
}

fn dd(args: &[Token], end: usize) -> Result<Program, ParseError> {
    let (mut file, mut block, mut count) = (None, 512u64, None);
    for t in args {
        let Some((key, value)) = t.text.split_once('=') else {
            return Err(error(
                t.offset,
                "dd: expected KEY=VALUE operands: if, of, bs, count",
            ));
        };
        let bad = |what: &str| error(t.offset, format!("dd: {key} expects {what}, got `{value}`"));
        match key {
            "if" if value == "/dev/zero" => {}
            "if" => return Err(bad("/dev/zero")),
            "of" => file = Some(value.to_string()),
            "bs" => {
                block = memparse(value)
                    .filter(|&b| b > 0)
                    .ok_or_else(|| bad("a block size like 1M"))?
            }
            "count" => {
                count = Some(
                    value
                        .parse::<u64>()
                        .map_err(|_| bad("a number of blocks"))?,
                )
            }
            _ => {
                return Err(error(
                    t.offset,
                    format!("dd: unknown operand `{key}`; allowed: if, of, bs, count"),
                ))
            }
        }
    }
    let file = file.ok_or_else(|| error(end, "dd: expected of=FILE"))?;
    let count = count.ok_or_else(|| error(end, "dd: expected count=N"))?;
    let operands_at = args
        .iter()
        .find(|t| t.text.starts_with("bs="))
        .map_or(end, |t| t.offset);
    let bytes = block
        .checked_mul(count)
        .filter(|&b| b <= MAX_BYTES)
        .ok_or_else(|| {
            error(
                operands_at,
                "dd: bs * count is too large; the simulation takes at most 1 PiB",
            )
        })?;
    Ok(Program::Dd { file, bytes })
}

fn kubelet(rest: &[Token], end: usize) -> Result<Command, ParseError> {
    let usage = "kubelet: expected `kubelet create-container PATH [--requests cpu=250m,memory=64Mi] [--limits cpu=500m,memory=128Mi]`";
    let path = match rest {
        [sub, path, ..] if sub.text == "create-container" => path,
        [sub, ..] => return Err(error(sub.offset, usage)),
        [] => return Err(error(end, usage)),
    };
    let mut resources = ContainerResources::default();
    let mut i = 2;
    while let Some(option) = rest.get(i) {
        let is_limit = match option.text.as_str() {
            "--requests" => false,
            "--limits" => true,
            other => {
                return Err(error(
                    option.offset,
                    format!("kubelet: unknown option `{other}`; allowed: --requests, --limits"),
                ))
            }
        };
        let value = rest.get(i + 1).ok_or_else(|| {
            error(
                end,
                format!("kubelet: {} needs cpu=...,memory=...", option.text),
            )
        })?;
        for pair in value.text.split(',') {
            let bad = || {
                error(value.offset, format!("kubelet: `{pair}`: expected cpu=QUANTITY (250m, 2) or memory=QUANTITY (128Mi, 100M)"))
            };
            let (key, quantity) = pair.split_once('=').ok_or_else(bad)?;
            match (key, is_limit) {
                ("cpu", false) => {
                    resources.cpu_request_milli = Some(kube_milli_cpu(quantity).ok_or_else(bad)?)
                }
                ("cpu", true) => {
                    resources.cpu_limit_milli = Some(kube_milli_cpu(quantity).ok_or_else(bad)?)
                }
                ("memory", false) => {
                    resources.memory_request = Some(kube_bytes(quantity).ok_or_else(bad)?)
                }
                ("memory", true) => {
                    resources.memory_limit = Some(kube_bytes(quantity).ok_or_else(bad)?)
                }
                _ => return Err(bad()),
            }
        }
        i += 2;
    }
    Ok(Command::Kubelet {
        path: Word(path.text.clone()),
        resources,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_the_deck_session() {
        assert_eq!(
            parse_line("UUID=$(uuidgen)"),
            Ok(Command::Uuidgen {
                name: "UUID".into()
            })
        );
        let Command::Cgcreate { targets } = parse_line("cgcreate -g cpu,memory:$UUID").unwrap()
        else {
            panic!("not cgcreate");
        };
        assert_eq!(
            targets[0].controllers,
            vec![Controller::Cpu, Controller::Memory]
        );
        assert_eq!(targets[0].path.variables(), vec!["UUID".to_string()]);
        let Command::Cgset { writes, groups } =
            parse_line("cgset -r memory.limit_in_bytes=100000000 $UUID").unwrap()
        else {
            panic!("not cgset");
        };
        assert_eq!(
            writes,
            vec![("memory.limit_in_bytes".into(), Word("100000000".into()))]
        );
        assert_eq!(groups, vec![Word("$UUID".into())]);
        let Command::Cgexec { launch, .. } =
            parse_line("cgexec -g cpu,memory:$UUID unshare --uts --ipc --net sh").unwrap()
        else {
            panic!("not cgexec");
        };
        assert_eq!(launch.program, Program::Shell);
        assert_eq!(
            launch.unshare,
            Unshare {
                uts: true,
                ipc: true,
                net: true
            }
        );
        assert_eq!(
            parse_line("cgdelete -r -g cpu,memory:$UUID"),
            Ok(Command::Cgdelete {
                recursive: true,
                targets: vec![Target {
                    controllers: vec![Controller::Cpu, Controller::Memory],
                    path: Word("$UUID".into())
                }]
            })
        );
        assert_eq!(
            parse_line("echo \"Hello from in a container\""),
            Ok(Command::Echo {
                words: vec![Word("Hello from in a container".into())]
            })
        );
    }

    #[test]
    fn stress_and_background() {
        let Command::Run { launch } = parse_line("stress --cpu 8 --timeout 3s &").unwrap() else {
            panic!("not run");
        };
        assert!(launch.background);
        assert_eq!(
            launch.program,
            Program::Stress {
                cpu: 8,
                vm: 0,
                vm_bytes: 256 << 20,
                timeout_ns: Some(3_000_000_000)
            }
        );
    }

    #[test]
    fn errors_point_at_the_word_and_list_what_is_allowed() {
        let rows: &[(&str, usize, &str)] = &[
            ("cgmake -g cpu:a", 0, "allowed: cgcreate"),
            ("cgcreate -g disk:a", 12, "allowed: cpu, cpuacct, memory"),
            ("cgset -x a=1 g", 6, "allowed: -r"),
            (
                "cgexec -g cpu:a unshare --pid sh",
                24,
                "allowed: --uts, --ipc, --net",
            ),
            ("stress --cpu 2", 0, "needs --timeout"),
            ("stress --cpu two --timeout 1", 13, "a number of workers"),
            ("sleep soon", 6, "invalid duration"),
            ("echo hi &", 8, "only allowed after a program"),
            ("cgdelete -f -g cpu:a", 9, "allowed: -r, -g"),
            (
                "kubelet create-container /k --limits gpu=1",
                37,
                "expected cpu=QUANTITY",
            ),
        ];
        for &(line, offset, needle) in rows {
            let e = parse_line(line).unwrap_err();
            assert_eq!(e.offset, offset, "{line}: {e:?}");
            assert!(e.message.contains(needle), "{line}: {e:?}");
        }
    }
}
