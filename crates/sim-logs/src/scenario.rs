//! The `logs` scenario file format and its validation.
//!
//! Contract (feature `load`): [`load`] accepts a TOML file with a `[scenario]`
//! header (simulator `logs`), an optional `[node]` table of kubelet/runtime
//! settings, an optional `[agent]` table (the node logging agent), `[[pods]]`
//! with `[[pods.containers]]`, and `[[script]]` entries, each with an `at_ms`
//! and an `action`. Unknown fields and actions are rejected by serde with the
//! allowed names; everything checked after parsing (sizes, references, paths,
//! which fields an action takes) gives a [`ScenarioError`] at the offending
//! value's line and column. See `slides/scenarios/logs-*.toml` for commented
//! examples.

use crate::config::{
    AgentSettings, Config, ContainerRef, ContainerSpec, Op, PodSpec, Role, Settings, TimedOp,
    MAX_AT_MS, MAX_MAX_FILES, MIN_MAX_FILES, MIN_POLL_INTERVAL_MS, SIMULATOR,
};
use crate::cri::Stream;
use crate::wallclock::Timestamp;
use serde::Deserialize;
use sim_core::scenario::{Header, ScenarioError, Source, Spanned};
use sim_core::SimTime;

/// The most lines one `repeat` may produce.
pub const MAX_REPEAT: u64 = 100_000;
/// The shortest kubelet log check period the kubelet accepts.
pub const MIN_MONITOR_INTERVAL_S: u64 = 3;

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct File {
    scenario: Header,
    #[serde(default)]
    node: NodeTable,
    agent: Option<AgentTable>,
    #[serde(default)]
    pods: Vec<PodTable>,
    #[serde(default)]
    script: Vec<Spanned<ScriptEntry>>,
}

#[derive(Deserialize, Default)]
#[serde(deny_unknown_fields)]
struct NodeTable {
    start: Option<Spanned<String>>,
    container_log_max_size: Option<Spanned<String>>,
    container_log_max_files: Option<Spanned<i64>>,
    container_log_monitor_interval_s: Option<Spanned<i64>>,
    max_line_size: Option<i64>,
    gzip_percent: Option<Spanned<i64>>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct AgentTable {
    name: String,
    poll_interval_ms: Spanned<i64>,
    #[serde(default)]
    start_ms: Option<Spanned<i64>>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct PodTable {
    #[serde(default = "default_namespace")]
    namespace: String,
    name: Spanned<String>,
    uid: Option<Spanned<String>>,
    empty_dir: Option<Spanned<String>>,
    containers: Vec<ContainerTable>,
}

fn default_namespace() -> String {
    "default".to_string()
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct ContainerTable {
    name: Spanned<String>,
    #[serde(default = "default_role")]
    role: Spanned<Role>,
    tails: Option<Spanned<String>>,
}

fn default_role() -> Spanned<Role> {
    Spanned::new(0..0, Role::App)
}

#[derive(Deserialize, Clone, Copy, PartialEq, Eq)]
#[serde(rename_all = "kebab-case")]
enum Action {
    Write,
    WriteFile,
    Crash,
    KubectlLogs,
    Ls,
    ParseLine,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct ScriptEntry {
    at_ms: Spanned<i64>,
    action: Spanned<Action>,
    pod: Option<Spanned<String>>,
    container: Option<Spanned<String>>,
    stream: Option<Spanned<Stream>>,
    text: Option<Spanned<String>>,
    length: Option<Spanned<i64>>,
    repeat: Option<Spanned<i64>>,
    every_ms: Option<Spanned<i64>>,
    path: Option<Spanned<String>>,
    exit_code: Option<Spanned<i64>>,
    previous: Option<Spanned<bool>>,
    line: Option<Spanned<String>>,
}

/// Parses and validates a `logs` scenario.
pub fn load(file: &str, src: &str) -> Result<(Header, Config), ScenarioError> {
    sim_core::scenario::read_header_for(file, src, SIMULATOR)?;
    let parsed: File = sim_core::scenario::parse(file, src)?;
    let v = Validator {
        source: Source::new(file, src),
    };
    let settings = v.settings(&parsed.node)?;
    let agent = parsed.agent.as_ref().map(|a| v.agent(a)).transpose()?;
    let pods = v.pods(&parsed.pods)?;
    let mut script = Vec::new();
    for entry in &parsed.script {
        v.entry(entry, &pods, &settings, &mut script)?;
    }
    Ok((
        parsed.scenario,
        Config {
            settings,
            agent,
            pods,
            script,
        },
    ))
}

/// Parses a size like `10Mi` into bytes with the one Kubernetes quantity
/// parser; the error says what is expected.
pub fn parse_size(text: &str) -> Result<u64, String> {
    sim_core::quantity::bytes(text).ok_or_else(|| {
        format!(
            "`{text}` is not a size: expected a whole number of at most 2^64 - 1 bytes with an optional suffix Ki, Mi, Gi, Ti, k, M, G or T (e.g. `10Mi`)"
        )
    })
}

struct Validator<'a> {
    source: Source<'a>,
}

impl Validator<'_> {
    fn err(&self, span: std::ops::Range<usize>, message: impl Into<String>) -> ScenarioError {
        self.source.error(span, message)
    }

    fn in_range(
        &self,
        value: &Spanned<i64>,
        field: &str,
        min: i64,
        max: i64,
    ) -> Result<u64, ScenarioError> {
        let n = *value.get_ref();
        if n < min || n > max {
            return Err(self.err(
                value.span(),
                format!("`{field}` is {n}: expected a whole number from {min} to {max}"),
            ));
        }
        Ok(n.unsigned_abs())
    }

    fn settings(&self, node: &NodeTable) -> Result<Settings, ScenarioError> {
        let start = match &node.start {
            Some(s) => Timestamp::parse_rfc3339(s.get_ref())
                .map_err(|m| self.err(s.span(), format!("`start`: {m}")))?,
            None => Timestamp::default(),
        };
        let container_log_max_size = match &node.container_log_max_size {
            Some(s) => {
                let text = s.get_ref();
                if text
                    .strip_prefix('-')
                    .is_some_and(|n| parse_size(n).is_ok())
                {
                    return Err(self.err(
                        s.span(),
                        format!("`container_log_max_size` is {text}: a negative size turns rotation off in the kubelet, which this simulator does not show; expected a positive size such as `10Mi`"),
                    ));
                }
                let bytes = parse_size(text)
                    .map_err(|m| self.err(s.span(), format!("`container_log_max_size`: {m}")))?;
                if bytes == 0 {
                    return Err(self.err(
                        s.span(),
                        "`container_log_max_size` is 0: expected a positive size such as `10Mi`",
                    ));
                }
                bytes
            }
            None => 10 << 20,
        };
        let container_log_max_files = match &node.container_log_max_files {
            Some(n) => self.in_range(
                n,
                "container_log_max_files",
                MIN_MAX_FILES as i64,
                MAX_MAX_FILES as i64,
            )?,
            None => 5,
        };
        let container_log_monitor_interval_s = match &node.container_log_monitor_interval_s {
            Some(n) => self.in_range(
                n,
                "container_log_monitor_interval_s",
                MIN_MONITOR_INTERVAL_S as i64,
                3600,
            )?,
            None => 10,
        };
        let max_line_size = match node.max_line_size {
            Some(n) if n <= 0 => None,
            Some(n) => Some(usize::try_from(n).unwrap_or(usize::MAX)),
            None => Some(16 * 1024),
        };
        let gzip_percent = match &node.gzip_percent {
            Some(n) => self.in_range(n, "gzip_percent", 1, 100)?,
            None => 10,
        };
        Ok(Settings {
            start,
            container_log_max_size,
            container_log_max_files,
            container_log_monitor_interval_s,
            max_line_size,
            gzip_percent,
        })
    }

    fn agent(&self, agent: &AgentTable) -> Result<AgentSettings, ScenarioError> {
        Ok(AgentSettings {
            name: agent.name.clone(),
            poll_interval_ms: self.in_range(
                &agent.poll_interval_ms,
                "poll_interval_ms",
                MIN_POLL_INTERVAL_MS as i64,
                MAX_AT_MS as i64,
            )?,
            start_ms: match &agent.start_ms {
                Some(n) => self.in_range(n, "start_ms", 0, MAX_AT_MS as i64)?,
                None => 0,
            },
        })
    }

    fn pods(&self, tables: &[PodTable]) -> Result<Vec<PodSpec>, ScenarioError> {
        let mut pods: Vec<PodSpec> = Vec::new();
        for table in tables {
            let name = table.name.get_ref();
            if !is_dns_label(name) || !is_dns_label(&table.namespace) {
                return Err(self.err(
                    table.name.span(),
                    format!("pod `{}/{name}`: namespace and name must be lowercase letters, digits and `-`", table.namespace),
                ));
            }
            if pods
                .iter()
                .any(|p| p.namespace == table.namespace && &p.name == name)
            {
                return Err(self.err(
                    table.name.span(),
                    format!("pod `{}/{name}` is declared twice", table.namespace),
                ));
            }
            if let Some(uid) = &table.uid {
                if uid.get_ref().is_empty() || uid.get_ref().contains(['/', '_', ' ']) {
                    return Err(self.err(
                        uid.span(),
                        "`uid` must be non-empty without `/`, `_` or spaces",
                    ));
                }
            }
            if let Some(dir) = &table.empty_dir {
                if !dir.get_ref().starts_with('/') {
                    return Err(self.err(
                        dir.span(),
                        "`empty_dir` is a mount path: expected an absolute path like `/var/log`",
                    ));
                }
            }
            let mut containers: Vec<ContainerSpec> = Vec::new();
            for c in &table.containers {
                let cname = c.name.get_ref();
                if !is_dns_label(cname) {
                    return Err(self.err(
                        c.name.span(),
                        format!("container `{cname}`: expected lowercase letters, digits and `-`"),
                    ));
                }
                if containers.iter().any(|o| &o.name == cname) {
                    return Err(self.err(
                        c.name.span(),
                        format!("container `{cname}` is declared twice in pod `{name}`"),
                    ));
                }
                let role = *c.role.get_ref();
                let tails = match (role, &c.tails) {
                    (Role::App, Some(t)) => {
                        return Err(self.err(
                            t.span(),
                            "`tails` is only for roles `streaming-sidecar` and `agent-sidecar`",
                        ));
                    }
                    (Role::App, None) => None,
                    (_, None) => {
                        return Err(self.err(
                            c.name.span(),
                            format!("sidecar `{cname}` needs `tails`: the shared file it reads"),
                        ));
                    }
                    (_, Some(t)) => {
                        self.shared_path(
                            t,
                            table.empty_dir.as_ref().map(|d| d.get_ref().as_str()),
                        )?;
                        Some(t.get_ref().clone())
                    }
                };
                containers.push(ContainerSpec {
                    name: cname.clone(),
                    role,
                    tails,
                });
            }
            if containers.is_empty() {
                return Err(self.err(
                    table.name.span(),
                    format!("pod `{name}` needs at least one `[[pods.containers]]`"),
                ));
            }
            pods.push(PodSpec {
                namespace: table.namespace.clone(),
                name: name.clone(),
                uid: table.uid.as_ref().map(|u| u.get_ref().clone()),
                empty_dir: table.empty_dir.as_ref().map(|d| d.get_ref().clone()),
                containers,
            });
        }
        Ok(pods)
    }

    fn shared_path(
        &self,
        path: &Spanned<String>,
        empty_dir: Option<&str>,
    ) -> Result<(), ScenarioError> {
        let Some(dir) = empty_dir else {
            return Err(self.err(
                path.span(),
                "this pod has no `empty_dir`: a shared file needs one",
            ));
        };
        let inside = path
            .get_ref()
            .strip_prefix(dir.trim_end_matches('/'))
            .is_some_and(|rest| rest.len() > 1 && rest.starts_with('/'));
        if !inside {
            return Err(self.err(
                path.span(),
                format!(
                    "`{}` is not inside the pod's emptyDir `{dir}`",
                    path.get_ref()
                ),
            ));
        }
        Ok(())
    }

    fn entry(
        &self,
        entry: &Spanned<ScriptEntry>,
        pods: &[PodSpec],
        settings: &Settings,
        script: &mut Vec<TimedOp>,
    ) -> Result<(), ScenarioError> {
        let e = entry.get_ref();
        let action = *e.action.get_ref();
        let at_ms = self.in_range(&e.at_ms, "at_ms", 0, MAX_AT_MS as i64)?;
        let allowed: &[&str] = match action {
            Action::Write => &[
                "pod",
                "container",
                "stream",
                "text",
                "length",
                "repeat",
                "every_ms",
            ],
            Action::WriteFile => &[
                "pod",
                "container",
                "path",
                "text",
                "length",
                "repeat",
                "every_ms",
            ],
            Action::Crash => &["pod", "container", "exit_code"],
            Action::KubectlLogs => &["pod", "container", "previous"],
            Action::Ls => &["pod", "container"],
            Action::ParseLine => &["line"],
        };
        let present: [(&str, Option<std::ops::Range<usize>>); 11] = [
            ("pod", e.pod.as_ref().map(Spanned::span)),
            ("container", e.container.as_ref().map(Spanned::span)),
            ("stream", e.stream.as_ref().map(Spanned::span)),
            ("text", e.text.as_ref().map(Spanned::span)),
            ("length", e.length.as_ref().map(Spanned::span)),
            ("repeat", e.repeat.as_ref().map(Spanned::span)),
            ("every_ms", e.every_ms.as_ref().map(Spanned::span)),
            ("path", e.path.as_ref().map(Spanned::span)),
            ("exit_code", e.exit_code.as_ref().map(Spanned::span)),
            ("previous", e.previous.as_ref().map(Spanned::span)),
            ("line", e.line.as_ref().map(Spanned::span)),
        ];
        let action_name = action_name(action);
        for (field, span) in present {
            if let Some(span) = span {
                if !allowed.contains(&field) {
                    return Err(self.err(
                        span,
                        format!(
                            "action `{action_name}` does not take `{field}`: it takes {}",
                            list(allowed)
                        ),
                    ));
                }
            }
        }
        let need = |field: &str| {
            self.err(
                e.action.span(),
                format!("action `{action_name}` needs `{field}`"),
            )
        };
        let at = SimTime::from_millis(at_ms);
        let target = || -> Result<ContainerRef, ScenarioError> {
            let pod = e.pod.as_ref().ok_or_else(|| need("pod"))?;
            let container = e.container.as_ref().ok_or_else(|| need("container"))?;
            resolve(self, pods, pod, container)
        };
        match action {
            Action::Write | Action::WriteFile => {
                let target = target()?;
                let text = e.text.as_ref().ok_or_else(|| need("text"))?;
                let repeat = match &e.repeat {
                    Some(r) => self.in_range(r, "repeat", 1, MAX_REPEAT as i64)?,
                    None => 1,
                };
                let every_ms = match &e.every_ms {
                    Some(r) => self.in_range(r, "every_ms", 1, MAX_AT_MS as i64)?,
                    None => 1000,
                };
                if at_ms + (repeat - 1) * every_ms > MAX_AT_MS {
                    return Err(self.err(entry.span(), format!("this entry's last write is after {MAX_AT_MS} ms: lower `repeat` or `every_ms`")));
                }
                let length = match &e.length {
                    Some(l) => {
                        if text.get_ref().is_empty() {
                            return Err(self.err(
                                text.span(),
                                "`text` must not be empty when `length` is set",
                            ));
                        }
                        Some(self.in_range(l, "length", 0, 1 << 20)? as usize)
                    }
                    None => None,
                };
                let stream = e.stream.as_ref().map_or(Stream::Stdout, |s| *s.get_ref());
                if action == Action::Write && e.stream.is_none() {
                    return Err(need("stream"));
                }
                let path = match action {
                    Action::WriteFile => {
                        let path = e.path.as_ref().ok_or_else(|| need("path"))?;
                        let dir = pods.get(target.pod).and_then(|p| p.empty_dir.as_deref());
                        self.shared_path(path, dir)?;
                        Some(path.get_ref().clone())
                    }
                    _ => None,
                };
                for i in 0..repeat {
                    let when = at.plus(SimTime::from_millis(i * every_ms));
                    let expanded = text
                        .get_ref()
                        .replace("{i}", &i.to_string())
                        .replace("{date}", &settings.start.plus(when).date_command());
                    let expanded = match length {
                        Some(n) => cycle_to_length(&expanded, n),
                        None => expanded,
                    };
                    for message in expanded.split('\n') {
                        let op = match &path {
                            Some(path) => Op::WriteFile {
                                target,
                                path: path.clone(),
                                message: message.to_string(),
                            },
                            None => Op::Write {
                                target,
                                stream,
                                message: message.to_string(),
                            },
                        };
                        script.push(TimedOp { at: when, op });
                    }
                }
            }
            Action::Crash => {
                let exit_code = match &e.exit_code {
                    Some(c) => self.in_range(c, "exit_code", 1, 255)? as i32,
                    None => 1,
                };
                script.push(TimedOp {
                    at,
                    op: Op::Crash {
                        target: target()?,
                        exit_code,
                    },
                });
            }
            Action::KubectlLogs => {
                let previous = e.previous.as_ref().is_some_and(|p| *p.get_ref());
                script.push(TimedOp {
                    at,
                    op: Op::KubectlLogs {
                        target: target()?,
                        previous,
                    },
                });
            }
            Action::Ls => script.push(TimedOp {
                at,
                op: Op::List { target: target()? },
            }),
            Action::ParseLine => {
                let line = e.line.as_ref().ok_or_else(|| need("line"))?;
                script.push(TimedOp {
                    at,
                    op: Op::ParseLine {
                        line: line.get_ref().clone(),
                    },
                });
            }
        }
        Ok(())
    }
}

fn resolve(
    v: &Validator<'_>,
    pods: &[PodSpec],
    pod: &Spanned<String>,
    container: &Spanned<String>,
) -> Result<ContainerRef, ScenarioError> {
    let (namespace, name) = pod
        .get_ref()
        .split_once('/')
        .unwrap_or(("default", pod.get_ref()));
    let Some(pod_index) = pods
        .iter()
        .position(|p| p.namespace == namespace && p.name == name)
    else {
        let known: Vec<String> = pods
            .iter()
            .map(|p| format!("{}/{}", p.namespace, p.name))
            .collect();
        return Err(v.err(
            pod.span(),
            format!(
                "unknown pod `{}`: expected one of {}",
                pod.get_ref(),
                list_owned(&known)
            ),
        ));
    };
    let containers = pods
        .get(pod_index)
        .map(|p| p.containers.as_slice())
        .unwrap_or_default();
    let Some(container_index) = containers
        .iter()
        .position(|c| &c.name == container.get_ref())
    else {
        let known: Vec<String> = containers.iter().map(|c| c.name.clone()).collect();
        return Err(v.err(
            container.span(),
            format!(
                "unknown container `{}` in pod `{}`: expected one of {}",
                container.get_ref(),
                pod.get_ref(),
                list_owned(&known)
            ),
        ));
    };
    Ok(ContainerRef {
        pod: pod_index,
        container: container_index,
    })
}

fn action_name(action: Action) -> &'static str {
    match action {
        Action::Write => "write",
        Action::WriteFile => "write-file",
        Action::Crash => "crash",
        Action::KubectlLogs => "kubectl-logs",
        Action::Ls => "ls",
        Action::ParseLine => "parse-line",
    }
}

fn list(items: &[&str]) -> String {
    items
        .iter()
        .map(|s| format!("`{s}`"))
        .collect::<Vec<_>>()
        .join(", ")
}

fn list_owned(items: &[String]) -> String {
    if items.is_empty() {
        return "(none declared)".to_string();
    }
    items
        .iter()
        .map(|s| format!("`{s}`"))
        .collect::<Vec<_>>()
        .join(", ")
}

/// A DNS-1123 label: what Kubernetes allows for names.
fn is_dns_label(name: &str) -> bool {
    !name.is_empty()
        && name.len() <= 63
        && name
            .bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-')
        && !name.starts_with('-')
        && !name.ends_with('-')
}

/// `text` repeated until it is exactly `length` bytes (or the longest whole
/// number of characters not over it).
fn cycle_to_length(text: &str, length: usize) -> String {
    let mut out = String::with_capacity(length);
    for c in text.chars().cycle() {
        if out.len() + c.len_utf8() > length {
            break;
        }
        out.push(c);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sizes_follow_kubernetes_suffixes() {
        for (text, bytes) in [
            ("10Mi", 10 << 20),
            ("1Ki", 1024),
            ("2k", 2000),
            ("512", 512),
            ("1G", 1_000_000_000),
        ] {
            assert_eq!(parse_size(text), Ok(bytes), "{text}");
        }
        for bad in ["10MB", "ten", "", "-1Ki", "1.5Mi"] {
            assert!(parse_size(bad).unwrap_err().contains("Ki, Mi, Gi"), "{bad}");
        }
    }

    #[test]
    fn cycling_reaches_the_exact_length() {
        assert_eq!(cycle_to_length("ab", 5), "ababa");
        assert_eq!(cycle_to_length("é", 3), "é");
        assert_eq!(cycle_to_length("ab", 0), "");
    }
}
