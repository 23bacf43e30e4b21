//! The `scheduler` scenario file format and its validation (feature `load`).
//!
//! Contract: [`load`] accepts a TOML file with a `[scenario]` header
//! (simulator `scheduler`), an optional `[scheduler]` table (horizon,
//! detail), an optional `[profile]` (disabled plugins, weights, the
//! NodeResourcesFit strategy, percentageOfNodesToScore, the Coscheduling
//! gang size and timeout), `[[priority_classes]]`, `[[nodes]]`, `[[pods]]`,
//! `[[pdbs]]` and `[[script]]`. Unknown fields are rejected by serde with the
//! allowed names; everything checked after parsing (quantities, plugin
//! names, weights, duplicate names, references) gives a [`ScenarioError`] at
//! the offending value. A pod that requests more than any node has is
//! accepted, as Kubernetes accepts it: it stays Pending with Kubernetes'
//! message. See `slides/scenarios/scheduler-*.toml` for commented examples.

use crate::config::{Config, Op, Plugin, Profile, Strategy, TimedOp, SIMULATOR};
use crate::model::{
    Budget, Container, Effect, NodeSpec, Operator, Pdb, PodSpec, PodTerm, Requirement, Resources,
    SpreadConstraint, Taint, Toleration, WhenUnsatisfiable,
};
use crate::plugins::spread::HOSTNAME;
use crate::sim::node_like;
use serde::Deserialize;
use sim_core::scenario::{Header, ScenarioError, Source, Spanned};
use sim_core::{quantity, SimTime};
use std::collections::BTreeMap;
use std::ops::Range;

/// Above this many nodes the runner keeps a summary per pod, not every table.
pub const DETAIL_NODES: usize = 64;
/// The most nodes or pods one `count` may make.
pub const MAX_COUNT: i64 = 20_000;
/// The latest time a script entry may have: one day.
pub const MAX_AT_S: i64 = 86_400;

type Labels = BTreeMap<String, String>;

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct File {
    scenario: Header,
    #[serde(default)]
    scheduler: RunTable,
    #[serde(default)]
    profile: ProfileTable,
    #[serde(default)]
    priority_classes: Vec<PriorityClassTable>,
    #[serde(default)]
    nodes: Vec<NodeTable>,
    #[serde(default)]
    pods: Vec<PodTable>,
    #[serde(default)]
    pdbs: Vec<PdbTable>,
    #[serde(default)]
    script: Vec<ScriptTable>,
}

#[derive(Deserialize, Default)]
#[serde(deny_unknown_fields)]
struct RunTable {
    horizon_s: Option<Spanned<i64>>,
    detailed: Option<bool>,
}

#[derive(Deserialize, Default)]
#[serde(deny_unknown_fields)]
struct ProfileTable {
    name: Option<String>,
    #[serde(default)]
    disabled: Vec<Spanned<String>>,
    #[serde(default)]
    weights: BTreeMap<String, Spanned<i64>>,
    strategy: Option<Spanned<String>>,
    shape: Option<Spanned<Vec<(i64, i64)>>>,
    percentage_of_nodes_to_score: Option<Spanned<i64>>,
    permit_timeout_s: Option<Spanned<i64>>,
    gang_size: Option<Spanned<i64>>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct PriorityClassTable {
    name: Spanned<String>,
    value: Spanned<i64>,
    #[serde(default)]
    preemption_policy: Option<Spanned<String>>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct NodeTable {
    name: Spanned<String>,
    #[serde(default)]
    count: Option<Spanned<i64>>,
    cpu: Spanned<String>,
    memory: Spanned<String>,
    #[serde(default)]
    ephemeral_storage: Option<Spanned<String>>,
    #[serde(default)]
    pods: Option<Spanned<i64>>,
    #[serde(default)]
    labels: Labels,
    #[serde(default)]
    taints: Vec<TaintTable>,
    #[serde(default)]
    images: Vec<ImageTable>,
    #[serde(default)]
    unschedulable: bool,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct TaintTable {
    key: String,
    #[serde(default)]
    value: String,
    effect: Effect,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct ImageTable {
    name: String,
    size: Spanned<String>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct ContainerTable {
    #[serde(default)]
    image: Option<String>,
    cpu: Option<Spanned<String>>,
    memory: Option<Spanned<String>>,
    ephemeral_storage: Option<Spanned<String>>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct TolerationTable {
    key: Option<String>,
    #[serde(default)]
    operator: Option<Spanned<String>>,
    #[serde(default)]
    value: String,
    effect: Option<Effect>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RequirementTable {
    key: String,
    operator: Operator,
    #[serde(default)]
    values: Vec<String>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct PreferredTable {
    weight: Spanned<i64>,
    term: Vec<RequirementTable>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct SpreadTable {
    max_skew: Spanned<i64>,
    topology_key: String,
    when_unsatisfiable: WhenUnsatisfiable,
    #[serde(default)]
    selector: Labels,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct PodTermTable {
    #[serde(default)]
    selector: Labels,
    topology_key: String,
    #[serde(default)]
    weight: Option<Spanned<i64>>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct PodTable {
    name: Spanned<String>,
    #[serde(default)]
    count: Option<Spanned<i64>>,
    #[serde(default)]
    at_s: Option<Spanned<i64>>,
    #[serde(default)]
    labels: Labels,
    priority_class: Option<Spanned<String>>,
    image: Option<String>,
    cpu: Option<Spanned<String>>,
    memory: Option<Spanned<String>>,
    ephemeral_storage: Option<Spanned<String>>,
    #[serde(default)]
    containers: Vec<ContainerTable>,
    #[serde(default)]
    tolerations: Vec<TolerationTable>,
    #[serde(default)]
    node_selector: Labels,
    #[serde(default)]
    required_affinity: Vec<Vec<RequirementTable>>,
    #[serde(default)]
    preferred_affinity: Vec<PreferredTable>,
    #[serde(default)]
    spread: Vec<SpreadTable>,
    #[serde(default)]
    pod_affinity: Vec<PodTermTable>,
    #[serde(default)]
    pod_anti_affinity: Vec<PodTermTable>,
    #[serde(default)]
    preferred_pod_affinity: Vec<PodTermTable>,
    #[serde(default)]
    preferred_pod_anti_affinity: Vec<PodTermTable>,
    #[serde(default)]
    gates: Vec<String>,
    node: Option<Spanned<String>>,
    grace_s: Option<Spanned<i64>>,
    gang: Option<Spanned<String>>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct PdbTable {
    name: String,
    selector: Labels,
    min_available: Option<Spanned<i64>>,
    max_unavailable: Option<Spanned<i64>>,
}

#[derive(Deserialize, Clone, Copy, PartialEq, Eq)]
#[serde(rename_all = "kebab-case")]
enum Action {
    DeletePod,
    RemoveGates,
    AddNode,
    Cordon,
    Uncordon,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct ScriptTable {
    at_s: Spanned<i64>,
    action: Spanned<Action>,
    pod: Option<Spanned<String>>,
    node: Option<Spanned<String>>,
    like: Option<Spanned<String>>,
}

/// Parses and validates a `scheduler` scenario.
pub fn load(file: &str, src: &str) -> Result<(Header, Config), ScenarioError> {
    sim_core::scenario::read_header_for(file, src, SIMULATOR)?;
    let parsed: File = sim_core::scenario::parse(file, src)?;
    let v = Validator {
        source: Source::new(file, src),
    };
    let profile = v.profile(&parsed.profile)?;
    let classes = v.priority_classes(&parsed.priority_classes)?;
    let nodes = v.nodes(&parsed.nodes)?;
    let (pods, mut script) = v.pods(&parsed.pods, &classes, &nodes, &profile)?;
    let pdbs = v.pdbs(&parsed.pdbs)?;
    v.script(&parsed.script, &pods, &nodes, &mut script)?;
    let horizon = match &parsed.scheduler.horizon_s {
        Some(h) => SimTime::from_secs(v.range(h, 1, MAX_AT_S, "horizon_s")? as u64),
        None => SimTime::from_secs(600),
    };
    let detailed = parsed
        .scheduler
        .detailed
        .unwrap_or(nodes.len() <= DETAIL_NODES);
    Ok((
        parsed.scenario,
        Config {
            nodes,
            pods,
            pdbs,
            profile,
            script,
            horizon,
            detailed,
        },
    ))
}

struct Validator<'a> {
    source: Source<'a>,
}

impl Validator<'_> {
    fn error(&self, span: Range<usize>, message: impl Into<String>) -> ScenarioError {
        self.source.error(span, message)
    }

    fn range(
        &self,
        value: &Spanned<i64>,
        min: i64,
        max: i64,
        what: &str,
    ) -> Result<i64, ScenarioError> {
        let v = *value.get_ref();
        if (min..=max).contains(&v) {
            Ok(v)
        } else {
            Err(self.error(
                value.span(),
                format!("{what} must be between {min} and {max}, not {v}"),
            ))
        }
    }

    fn plugin(&self, name: &Spanned<String>) -> Result<Plugin, ScenarioError> {
        Plugin::named(name.get_ref()).ok_or_else(|| {
            let known: Vec<&str> = Plugin::ALL.iter().map(|p| p.name()).collect();
            self.error(
                name.span(),
                format!(
                    "unknown plugin `{}`: expected one of {}",
                    name.get_ref(),
                    known.join(", ")
                ),
            )
        })
    }

    fn profile(&self, t: &ProfileTable) -> Result<Profile, ScenarioError> {
        let mut profile = Profile::default();
        if let Some(name) = &t.name {
            profile.name = name.clone();
        }
        for name in &t.disabled {
            let plugin = self.plugin(name)?;
            if matches!(plugin, Plugin::PrioritySort | Plugin::DefaultBinder) {
                return Err(self.error(
                    name.span(),
                    format!(
                        "`{}` cannot be disabled: a profile needs exactly one QueueSort plugin and one Bind plugin",
                        plugin.name()
                    ),
                ));
            }
            profile.disabled.push(plugin);
        }
        for (name, weight) in &t.weights {
            let plugin = Plugin::named(name).filter(|p| p.scores()).ok_or_else(|| {
                let known: Vec<&str> = Plugin::SCORE.iter().map(|p| p.name()).collect();
                self.error(
                    weight.span(),
                    format!(
                        "`{name}` is not a Score plugin: expected one of {}",
                        known.join(", ")
                    ),
                )
            })?;
            let w = *weight.get_ref();
            if w < 1 {
                return Err(self.error(
                    weight.span(),
                    format!(
                        "the weight of {name} is {w}: kube-scheduler rejects a score plugin with a negative weight and reads 0 as unset, so expected 1 or more"
                    ),
                ));
            }
            let i = Plugin::SCORE.iter().position(|p| *p == plugin).unwrap_or(0);
            profile.weights[i] = w;
        }
        profile.strategy = self.strategy(t)?;
        if let Some(p) = &t.percentage_of_nodes_to_score {
            profile.percentage_of_nodes_to_score =
                self.range(p, 0, 100, "percentage_of_nodes_to_score")? as u32;
        }
        if let Some(s) = &t.permit_timeout_s {
            profile.permit_timeout =
                SimTime::from_secs(self.range(s, 1, 3600, "permit_timeout_s")? as u64);
        }
        if let Some(g) = &t.gang_size {
            profile.gang_size = self.range(g, 1, 10_000, "gang_size")? as u32;
        }
        Ok(profile)
    }

    fn strategy(&self, t: &ProfileTable) -> Result<Strategy, ScenarioError> {
        let name = t.strategy.as_ref();
        let strategy = match name.map(|n| n.get_ref().as_str()) {
            None | Some("LeastAllocated") => Strategy::LeastAllocated,
            Some("MostAllocated") => Strategy::MostAllocated,
            Some("RequestedToCapacityRatio") => {
                let Some(shape) = &t.shape else {
                    return Err(self.error(
                        name.map_or(0..0, |n| n.span()),
                        "RequestedToCapacityRatio needs a `shape`: points [utilization, score], e.g. [[0, 0], [100, 10]]",
                    ));
                };
                let points = shape.get_ref();
                let ascending = points.windows(2).all(|w| w[0].0 < w[1].0);
                let in_range = points
                    .iter()
                    .all(|(u, s)| (0..=100).contains(u) && (0..=10).contains(s));
                if points.is_empty() || !ascending || !in_range {
                    return Err(self.error(
                        shape.span(),
                        "a shape is one or more [utilization, score] points with utilization 0-100 rising strictly and score 0-10",
                    ));
                }
                Strategy::RequestedToCapacityRatio(points.clone())
            }
            Some(other) => {
                return Err(self.error(
                    name.map_or(0..0, |n| n.span()),
                    format!("unknown strategy `{other}`: expected LeastAllocated, MostAllocated or RequestedToCapacityRatio"),
                ))
            }
        };
        Ok(strategy)
    }

    fn priority_classes(
        &self,
        list: &[PriorityClassTable],
    ) -> Result<BTreeMap<String, (i32, bool)>, ScenarioError> {
        let mut classes = BTreeMap::new();
        for c in list {
            let value = self.range(
                &c.value,
                -2_147_483_648,
                1_000_000_000,
                "a PriorityClass value",
            )?;
            let never = match &c.preemption_policy {
                None => false,
                Some(p) if p.get_ref() == "Never" => true,
                Some(p) if p.get_ref() == "PreemptLowerPriority" => false,
                Some(p) => {
                    return Err(self.error(
                        p.span(),
                        "preemption_policy must be PreemptLowerPriority or Never",
                    ))
                }
            };
            let name = c.name.get_ref().clone();
            if classes
                .insert(name.clone(), (value as i32, never))
                .is_some()
            {
                return Err(self.error(
                    c.name.span(),
                    format!("PriorityClass `{name}` is declared twice"),
                ));
            }
        }
        Ok(classes)
    }

    fn cpu(&self, q: &Spanned<String>) -> Result<i64, ScenarioError> {
        quantity::milli_cpu(q.get_ref())
            .and_then(|v| i64::try_from(v).ok())
            .ok_or_else(|| {
                self.error(
                    q.span(),
                    format!(
                        "`{}` is not a CPU quantity: expected e.g. 500m or 2",
                        q.get_ref()
                    ),
                )
            })
    }

    fn bytes(&self, q: &Spanned<String>) -> Result<i64, ScenarioError> {
        quantity::bytes(q.get_ref())
            .and_then(|v| i64::try_from(v).ok())
            .ok_or_else(|| {
                self.error(
                    q.span(),
                    format!(
                        "`{}` is not a byte quantity: expected e.g. 512Mi or 4Gi",
                        q.get_ref()
                    ),
                )
            })
    }

    fn count(&self, count: &Option<Spanned<i64>>) -> Result<Option<i64>, ScenarioError> {
        count
            .as_ref()
            .map(|c| self.range(c, 1, MAX_COUNT, "count"))
            .transpose()
    }

    fn nodes(&self, list: &[NodeTable]) -> Result<Vec<NodeSpec>, ScenarioError> {
        let mut nodes: Vec<NodeSpec> = Vec::new();
        for t in list {
            let allocatable = Resources {
                milli_cpu: self.cpu(&t.cpu)?,
                memory: self.bytes(&t.memory)?,
                ephemeral: t
                    .ephemeral_storage
                    .as_ref()
                    .map(|q| self.bytes(q))
                    .transpose()?
                    .unwrap_or(100 << 30),
            };
            let max_pods = t
                .pods
                .as_ref()
                .map(|p| self.range(p, 0, 10_000, "pods"))
                .transpose()?
                .unwrap_or(110);
            let images = t
                .images
                .iter()
                .map(|i| Ok((i.name.clone(), self.bytes(&i.size)?)))
                .collect::<Result<Vec<_>, ScenarioError>>()?;
            let base = NodeSpec {
                name: t.name.get_ref().clone(),
                allocatable,
                max_pods,
                labels: t
                    .labels
                    .iter()
                    .map(|(k, v)| (k.clone(), v.clone()))
                    .chain([(HOSTNAME.to_string(), t.name.get_ref().clone())])
                    .collect::<BTreeMap<_, _>>()
                    .into_iter()
                    .collect(),
                taints: t
                    .taints
                    .iter()
                    .map(|x| Taint {
                        key: x.key.clone(),
                        value: x.value.clone(),
                        effect: x.effect,
                    })
                    .collect(),
                images,
                unschedulable: t.unschedulable,
            };
            let made = match self.count(&t.count)? {
                None => vec![base],
                Some(n) => (1..=n)
                    .map(|i| node_like(&base, &format!("{}-{i}", base.name)))
                    .collect(),
            };
            for node in made {
                if nodes.iter().any(|n| n.name == node.name) {
                    return Err(self.error(
                        t.name.span(),
                        format!(
                            "node `{}` is declared twice: node names are unique",
                            node.name
                        ),
                    ));
                }
                nodes.push(node);
            }
        }
        Ok(nodes)
    }

    fn container(
        &self,
        image: Option<&String>,
        cpu: &Option<Spanned<String>>,
        memory: &Option<Spanned<String>>,
        ephemeral: &Option<Spanned<String>>,
    ) -> Result<Container, ScenarioError> {
        Ok(Container {
            image: image
                .cloned()
                .unwrap_or_else(|| "registry.k8s.io/pause:3.10".into()),
            cpu: cpu.as_ref().map(|q| self.cpu(q)).transpose()?,
            memory: memory.as_ref().map(|q| self.bytes(q)).transpose()?,
            ephemeral: ephemeral.as_ref().map(|q| self.bytes(q)).transpose()?,
        })
    }

    fn terms(&self, list: &[PodTermTable], preferred: bool) -> Result<Vec<PodTerm>, ScenarioError> {
        list.iter()
            .map(|t| {
                let weight = match (&t.weight, preferred) {
                    (Some(w), true) => self.range(w, 1, 100, "a preferred term's weight")?,
                    (None, true) => 1,
                    (_, false) => 0,
                };
                Ok(PodTerm {
                    selector: pairs(&t.selector),
                    topology_key: t.topology_key.clone(),
                    weight,
                })
            })
            .collect()
    }

    fn pods(
        &self,
        list: &[PodTable],
        classes: &BTreeMap<String, (i32, bool)>,
        nodes: &[NodeSpec],
        profile: &Profile,
    ) -> Result<(Vec<PodSpec>, Vec<TimedOp>), ScenarioError> {
        let mut pods: Vec<PodSpec> = Vec::new();
        let mut script = Vec::new();
        for t in list {
            let (priority, never) = match &t.priority_class {
                None => (0, false),
                Some(c) => *classes.get(c.get_ref()).ok_or_else(|| {
                    self.error(
                        c.span(),
                        format!("no PriorityClass `{}` is declared", c.get_ref()),
                    )
                })?,
            };
            let mut containers = Vec::new();
            if t.cpu.is_some()
                || t.memory.is_some()
                || t.ephemeral_storage.is_some()
                || t.containers.is_empty()
            {
                containers.push(self.container(
                    t.image.as_ref(),
                    &t.cpu,
                    &t.memory,
                    &t.ephemeral_storage,
                )?);
            }
            for c in &t.containers {
                containers.push(self.container(
                    c.image.as_ref(),
                    &c.cpu,
                    &c.memory,
                    &c.ephemeral_storage,
                )?);
            }
            if let Some(node) = &t.node {
                if !nodes.iter().any(|n| n.name == *node.get_ref()) {
                    return Err(self.error(
                        node.span(),
                        format!(
                            "pod placed on `{}`, but no node has that name",
                            node.get_ref()
                        ),
                    ));
                }
            }
            if let Some(gang) = &t.gang {
                if profile.gang_size == 0 {
                    return Err(self.error(
                        gang.span(),
                        "a gang needs the Coscheduling plugin: set `gang_size` in [profile]",
                    ));
                }
            }
            let requirement = |r: &RequirementTable| Requirement {
                key: r.key.clone(),
                operator: r.operator,
                values: r.values.clone(),
            };
            let preferred_terms = t
                .preferred_affinity
                .iter()
                .map(|p| {
                    Ok((
                        self.range(&p.weight, 1, 100, "a preferred term's weight")?,
                        p.term.iter().map(requirement).collect(),
                    ))
                })
                .collect::<Result<Vec<_>, ScenarioError>>()?;
            let spread = t
                .spread
                .iter()
                .map(|s| {
                    Ok(SpreadConstraint {
                        max_skew: self.range(&s.max_skew, 1, 1000, "max_skew")?,
                        topology_key: s.topology_key.clone(),
                        when_unsatisfiable: s.when_unsatisfiable,
                        selector: pairs(&s.selector),
                    })
                })
                .collect::<Result<Vec<_>, ScenarioError>>()?;
            let tolerations =
                t.tolerations
                    .iter()
                    .map(|x| {
                        let exists = match &x.operator {
                            None => false,
                            Some(o) if o.get_ref() == "Exists" => true,
                            Some(o) if o.get_ref() == "Equal" => false,
                            Some(o) => {
                                return Err(self
                                    .error(o.span(), "a toleration's operator is Equal or Exists"))
                            }
                        };
                        Ok(Toleration {
                            key: x.key.clone(),
                            exists,
                            value: x.value.clone(),
                            effect: x.effect,
                        })
                    })
                    .collect::<Result<Vec<_>, ScenarioError>>()?;
            let grace_s = t
                .grace_s
                .as_ref()
                .map(|g| self.range(g, 0, 3600, "grace_s"))
                .transpose()?
                .unwrap_or(30) as u64;
            let at = match &t.at_s {
                Some(a) => SimTime::from_secs(self.range(a, 0, MAX_AT_S, "at_s")? as u64),
                None => SimTime::ZERO,
            };
            let base = PodSpec {
                name: t.name.get_ref().clone(),
                labels: pairs(&t.labels),
                priority_class: t.priority_class.as_ref().map(|c| c.get_ref().clone()),
                priority,
                never_preempt: never,
                containers,
                tolerations,
                node_selector: pairs(&t.node_selector),
                required_terms: t
                    .required_affinity
                    .iter()
                    .map(|term| term.iter().map(requirement).collect())
                    .collect(),
                preferred_terms,
                spread,
                affinity: self.terms(&t.pod_affinity, false)?,
                anti_affinity: self.terms(&t.pod_anti_affinity, false)?,
                preferred_affinity: self.terms(&t.preferred_pod_affinity, true)?,
                preferred_anti_affinity: self.terms(&t.preferred_pod_anti_affinity, true)?,
                gates: t.gates.clone(),
                node_name: t.node.as_ref().map(|n| n.get_ref().clone()),
                grace_s,
                gang: t.gang.as_ref().map(|g| g.get_ref().clone()),
            };
            let made = match self.count(&t.count)? {
                None => vec![base],
                Some(n) => (1..=n)
                    .map(|i| PodSpec {
                        name: format!("{}-{i}", base.name),
                        ..base.clone()
                    })
                    .collect(),
            };
            for pod in made {
                if pods.iter().any(|p| p.name == pod.name) {
                    return Err(self.error(
                        t.name.span(),
                        format!("pod `{}` is declared twice: pod names are unique", pod.name),
                    ));
                }
                if pod.node_name.is_none() {
                    script.push(TimedOp {
                        at,
                        op: Op::CreatePod(pods.len()),
                    });
                }
                pods.push(pod);
            }
        }
        Ok((pods, script))
    }

    fn pdbs(&self, list: &[PdbTable]) -> Result<Vec<Pdb>, ScenarioError> {
        list.iter()
            .map(|t| {
                let budget = match (&t.min_available, &t.max_unavailable) {
                    (Some(m), None) => {
                        Budget::MinAvailable(self.range(m, 0, MAX_COUNT, "min_available")?)
                    }
                    (None, Some(m)) => {
                        Budget::MaxUnavailable(self.range(m, 0, MAX_COUNT, "max_unavailable")?)
                    }
                    (Some(m), Some(_)) => {
                        return Err(self.error(
                            m.span(),
                            "a PodDisruptionBudget sets min_available or max_unavailable, not both",
                        ))
                    }
                    (None, None) => {
                        return Err(self.error(
                            0..0,
                            format!(
                                "PodDisruptionBudget `{}` needs min_available or max_unavailable",
                                t.name
                            ),
                        ))
                    }
                };
                Ok(Pdb {
                    name: t.name.clone(),
                    selector: pairs(&t.selector),
                    budget,
                })
            })
            .collect()
    }

    fn script(
        &self,
        list: &[ScriptTable],
        pods: &[PodSpec],
        nodes: &[NodeSpec],
        script: &mut Vec<TimedOp>,
    ) -> Result<(), ScenarioError> {
        let mut node_names: Vec<String> = nodes.iter().map(|n| n.name.clone()).collect();
        for t in list {
            let at = SimTime::from_secs(self.range(&t.at_s, 0, MAX_AT_S, "at_s")? as u64);
            let span = t.action.span();
            let pod = |field: &Option<Spanned<String>>| -> Result<String, ScenarioError> {
                let p = self.need(field, span.clone(), "pod")?;
                if pods.iter().any(|x| x.name == *p.get_ref()) {
                    Ok(p.get_ref().clone())
                } else {
                    Err(self.error(p.span(), format!("no pod `{}` is declared", p.get_ref())))
                }
            };
            let node = |field: &Option<Spanned<String>>,
                        names: &[String]|
             -> Result<String, ScenarioError> {
                let n = self.need(field, span.clone(), "node")?;
                if names.iter().any(|x| x == n.get_ref()) {
                    Ok(n.get_ref().clone())
                } else {
                    Err(self.error(
                        n.span(),
                        format!("no node `{}` exists at this point", n.get_ref()),
                    ))
                }
            };
            let op = match t.action.get_ref() {
                Action::DeletePod => Op::DeletePod(pod(&t.pod)?),
                Action::RemoveGates => Op::RemoveGates(pod(&t.pod)?),
                Action::Cordon => Op::Cordon(node(&t.node, &node_names)?, true),
                Action::Uncordon => Op::Cordon(node(&t.node, &node_names)?, false),
                Action::AddNode => {
                    let name = self.need(&t.node, span.clone(), "node")?;
                    if node_names.contains(name.get_ref()) {
                        return Err(self.error(
                            name.span(),
                            format!(
                                "node `{}` exists already: node names are unique",
                                name.get_ref()
                            ),
                        ));
                    }
                    let like = node(&t.like, &node_names)?;
                    let Some(spec) = nodes.iter().find(|n| n.name == like) else {
                        return Err(self.error(
                            t.like.as_ref().map_or(0..0, |l| l.span()),
                            "`like` names a node declared in [[nodes]]",
                        ));
                    };
                    node_names.push(name.get_ref().clone());
                    Op::AddNode(node_like(spec, name.get_ref()))
                }
            };
            script.push(TimedOp { at, op });
        }
        script.sort_by_key(|op| op.at);
        Ok(())
    }
}

impl Validator<'_> {
    fn need<'b>(
        &self,
        field: &'b Option<Spanned<String>>,
        span: Range<usize>,
        what: &str,
    ) -> Result<&'b Spanned<String>, ScenarioError> {
        field
            .as_ref()
            .ok_or_else(|| self.error(span, format!("this action needs `{what}`")))
    }
}

fn pairs(labels: &Labels) -> Vec<(String, String)> {
    labels.iter().map(|(k, v)| (k.clone(), v.clone())).collect()
}
