//! What the presenter types: `kubectl logs [--previous]`, `ls -l` of a log
//! directory, and parsing one CRI line.
//!
//! Contract: a command only reads the node, records what it printed as the
//! node's last output and says what it read; `kubectl logs` reads only the
//! newest file of the instance asked for, as the kubelet does.

use crate::config::ContainerRef;
use crate::cri::{join_partials, parse_line, CriLine, Tag};
use crate::facts::LogsFact;
use crate::node::{Node, Phase};

/// One command.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Command {
    Logs {
        target: ContainerRef,
        previous: bool,
    },
    List(ContainerRef),
    ParseLine(String),
}

/// Runs one command; `None` when its container does not exist.
pub(crate) fn run(node: &mut Node, command: Command) -> Option<LogsFact> {
    match command {
        Command::Logs { target, previous } => Some(logs(node, target, previous)),
        Command::List(target) => list(node, target),
        Command::ParseLine(line) => Some(parse(node, &line)),
    }
}

fn logs(node: &mut Node, target: ContainerRef, previous: bool) -> LogsFact {
    let spec_pod = node.config.pods.get(target.pod);
    let (pod_name, namespace, cname) =
        match spec_pod.and_then(|p| p.containers.get(target.container).map(|c| (p, c))) {
            Some((p, c)) => (p.name.clone(), p.namespace.clone(), c.name.clone()),
            None => (String::new(), String::new(), String::new()),
        };
    let ns_flag = if namespace == "default" {
        String::new()
    } else {
        format!(" -n {namespace}")
    };
    let command = format!(
        "kubectl logs{ns_flag} {pod_name} -c {cname}{}",
        if previous { " --previous" } else { "" }
    );
    let instance = match (node.container(target), previous) {
        (Some(c), false) if c.phase != Phase::NotStarted => Some(c.restart_count),
        (Some(c), true) if matches!(c.phase, Phase::Terminated { .. }) => Some(c.restart_count),
        (Some(c), true) => c.restart_count.checked_sub(1),
        _ => None,
    };
    let path = instance.and_then(|n| node.log_path(target, n));
    let Some(path) = path else {
        let message = if previous {
            format!("Error from server (BadRequest): previous terminated container \"{cname}\" in pod \"{pod_name}\" not found")
        } else {
            format!("Error from server (BadRequest): container \"{cname}\" in pod \"{pod_name}\" is waiting to start")
        };
        node.set_output(command.clone(), vec![message.clone()]);
        return LogsFact::KubectlRefused {
            command,
            message,
            previous,
        };
    };
    let text = node.fs.file(&path).map(|f| f.text.as_str()).unwrap_or("");
    let lines: Vec<CriLine> = text
        .split_terminator('\n')
        .filter_map(|l| parse_line(l).ok())
        .collect();
    let output: Vec<String> = join_partials(&lines).into_iter().map(|m| m.text).collect();
    let fact = LogsFact::KubectlRead {
        command: command.clone(),
        path,
        lines: lines.len(),
        messages: output.len(),
        last: output.last().cloned(),
        previous,
    };
    node.set_output(command, output);
    fact
}

fn list(node: &mut Node, target: ContainerRef) -> Option<LogsFact> {
    let dir = node.log_dir(target.pod, target.container)?;
    let entries: Vec<(String, u64, u64)> = node
        .fs
        .files_under(&dir)
        .map(|(p, ino, f)| {
            let name = p.strip_prefix(dir.as_str()).unwrap_or(p);
            (name.to_string(), ino, f.size)
        })
        .collect();
    let output: Vec<String> = entries
        .iter()
        .map(|(name, ino, size)| format!("{size:>10} {name} (inode {ino})"))
        .collect();
    node.set_output(format!("ls -l {dir}"), output);
    Some(LogsFact::Listed { dir, entries })
}

fn parse(node: &mut Node, line: &str) -> LogsFact {
    let (valid, said) = match parse_line(line) {
        Ok(cri) => (
            true,
            format!(
                "stream {}, {} line, content \"{}\", time {}",
                cri.stream.as_str(),
                if cri.tag == Tag::Full {
                    "full"
                } else {
                    "partial"
                },
                cri.content,
                cri.timestamp
            ),
        ),
        Err(e) => (false, e.to_string()),
    };
    node.set_output(format!("parse CRI line `{line}`"), vec![said.clone()]);
    LogsFact::LineParsed { valid, said }
}
