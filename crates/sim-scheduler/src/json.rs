//! The runner's JSON form of the scheduler state (feature `json`), in
//! kube-scheduler-simulator's annotation shape.
//!
//! Contract: per pod, `annotations` holds what kube-scheduler-simulator
//! writes into its pod annotations under `kube-scheduler-simulator.sigs.k8s.io/`
//! (`prefilter-result-status`, `filter-result`, `prescore-result`,
//! `score-result`, `finalscore-result`, `postfilter-result`,
//! `permit-result`, `bind-result`, `selected-node`), as JSON objects rather
//! than JSON-encoded strings, plus `simdeck/` keys for what it lacks (nodes
//! evaluated and why the search stopped, the backoff, preemption candidates
//! and the criterion, the tie-break). A config that is not detailed keeps a
//! summary per pod instead (`simdeck/summary`). Key order is stable (maps
//! sorted), so the golden digests cover it. See `slides/scenarios/README.md`.

use crate::attempt::{Attempt, Preemption, Stop};
use crate::cluster::{Phase, PodId};
use crate::queue::backoff_duration;
use crate::status::{Code, Reason};
use crate::SchedulerSim;
use serde_json::{json, Map, Value};
use sim_core::{JsonState, SimTime};

const KSS: &str = "kube-scheduler-simulator.sigs.k8s.io/";

impl JsonState for SchedulerSim {
    fn state_json(&self, now: SimTime) -> Value {
        json!({
            "time": now.to_string(),
            "profile": profile(self),
            "nodes": nodes(self),
            "queue": queue(self),
            "pods": pods(self),
            "stats": {
                "attempts": self.stats().attempts,
                "bound": self.stats().bound,
                "unschedulable": self.stats().unschedulable,
                "preemptions": self.stats().preemptions,
            },
        })
    }
}

fn profile(sim: &SchedulerSim) -> Value {
    let p = sim.profile();
    let weights: Map<String, Value> = crate::Plugin::SCORE
        .iter()
        .filter(|pl| p.enabled(**pl))
        .map(|pl| (pl.name().to_string(), json!(p.weight(*pl))))
        .collect();
    json!({
        "schedulerName": p.name,
        "disabled": p.disabled.iter().map(|d| d.name()).collect::<Vec<_>>(),
        "weights": weights,
        "scoringStrategy": p.strategy.name(),
        "percentageOfNodesToScore": p.percentage_of_nodes_to_score,
    })
}

fn nodes(sim: &SchedulerSim) -> Value {
    let c = sim.cluster();
    let list: Vec<Value> = c
        .nodes
        .iter()
        .zip(&c.usage)
        .map(|(n, u)| {
            json!({
                "name": n.name,
                "allocatable": {"cpu": format!("{}m", n.allocatable.milli_cpu), "memory": n.allocatable.memory, "pods": n.max_pods},
                "requested": {"cpu": format!("{}m", u.requested.milli_cpu), "memory": u.requested.memory, "pods": u.pod_count},
                "unschedulable": n.unschedulable,
                "pods": u.pods.iter().map(|p| c.pod(*p).name.as_str()).collect::<Vec<_>>(),
            })
        })
        .collect();
    Value::Array(list)
}

fn queue(sim: &SchedulerSim) -> Value {
    let c = sim.cluster();
    let q = sim.queue();
    let name = |p: PodId| c.pod(p).name.clone();
    json!({
        "gated": q.gated().map(name).collect::<Vec<_>>(),
        "activeQ": q.active().map(name).collect::<Vec<_>>(),
        "backoffQ": q.backoff().map(|(p, t)| json!({"pod": name(p), "until": t.to_string()})).collect::<Vec<_>>(),
        "unschedulablePods": q.unschedulable().map(|(p, t)| json!({"pod": name(p), "since": t.to_string()})).collect::<Vec<_>>(),
        "waitingOnPermit": sim.waiting().map(|(p, _)| name(p)).collect::<Vec<_>>(),
    })
}

fn phase_name(phase: Phase) -> &'static str {
    match phase {
        Phase::NotCreated => "not-created",
        Phase::Pending => "pending",
        Phase::Assumed => "assumed",
        Phase::Bound => "bound",
        Phase::Terminating => "terminating",
        Phase::Deleted => "deleted",
    }
}

fn pods(sim: &SchedulerSim) -> Value {
    let c = sim.cluster();
    let mut out = Map::new();
    for (i, spec) in c.pods.iter().enumerate() {
        let id = i as PodId;
        let state = c.pod_state(id);
        if state.phase == Phase::NotCreated {
            continue;
        }
        let record = &sim.records()[i];
        let mut pod = Map::new();
        pod.insert("phase".into(), json!(phase_name(state.phase)));
        pod.insert("priority".into(), json!(spec.priority));
        pod.insert("node".into(), json!(state.node.map(|n| c.node_name(n))));
        pod.insert(
            "nominatedNodeName".into(),
            json!(state.nominated.map(|n| c.node_name(n))),
        );
        pod.insert("attempts".into(), json!(state.attempts));
        let waiting = sim.waiting().any(|(p, _)| p == id);
        match &record.last {
            Some(a) => {
                if let Some(m) = a.message() {
                    pod.insert("message".into(), json!(m));
                }
                let gang =
                    spec.gang.is_some() && sim.profile().enabled(crate::Plugin::Coscheduling);
                pod.insert(
                    "annotations".into(),
                    annotations(
                        a,
                        state.phase,
                        waiting.then_some(true).or(gang.then_some(false)),
                        state.attempts,
                    ),
                );
            }
            None if state.attempts > 0 => {
                let rejected: Map<String, Value> = Reason::ALL
                    .iter()
                    .filter(|r| record.rejected[**r as usize] > 0)
                    .map(|r| (r.text().to_string(), json!(record.rejected[*r as usize])))
                    .collect();
                pod.insert(
                    "annotations".into(),
                    json!({ "simdeck/summary": {
                        "selected-node": record.node.map(|n| c.node_name(n)),
                        "top-scores": record.top().iter().map(|(n, t)| json!({"node": c.node_name(*n), "total": t})).collect::<Vec<_>>(),
                        "rejected": rejected,
                        "nodes-evaluated": record.evaluated,
                    }}),
                );
            }
            None => {}
        }
        out.insert(spec.name.clone(), Value::Object(pod));
    }
    Value::Object(out)
}

fn status_word(code: Code) -> &'static str {
    match code {
        Code::Success => "success",
        Code::Skip => "skip",
        Code::Wait => "wait",
        Code::Error => "error",
        Code::Pending => "pending",
        Code::Unschedulable | Code::UnschedulableAndUnresolvable => "unschedulable",
    }
}

/// `permit` is whether Coscheduling made the pod wait (`None`: no Permit plugin ran).
fn annotations(a: &Attempt, phase: Phase, permit: Option<bool>, attempts: u32) -> Value {
    let mut m = Map::new();
    let key = |k: &str| format!("{KSS}{k}");
    let prefilter: Map<String, Value> = a
        .prefilter
        .iter()
        .map(|s| (s.plugin.name().to_string(), json!(status_word(s.code))))
        .collect();
    m.insert(key("prefilter-result-status"), Value::Object(prefilter));
    let mut filter = Map::new();
    for &n in &a.feasible {
        let passed: Map<String, Value> = a
            .filters
            .iter()
            .map(|p| (p.name().to_string(), json!("passed")))
            .collect();
        filter.insert(a.node_name(n).to_string(), Value::Object(passed));
    }
    for (n, r) in &a.rejected {
        let mut per = Map::new();
        for p in &a.filters {
            if *p == r.plugin {
                per.insert(
                    p.name().to_string(),
                    json!(r.texts(&a.nodes[*n as usize]).join(", ")),
                );
                break;
            }
            per.insert(p.name().to_string(), json!("passed"));
        }
        filter.insert(a.node_name(*n).to_string(), Value::Object(per));
    }
    m.insert(key("filter-result"), Value::Object(filter));
    if let Some(table) = &a.table {
        let prescore: Map<String, Value> = a
            .prescore
            .iter()
            .map(|s| (s.plugin.name().to_string(), json!(status_word(s.code))))
            .collect();
        m.insert(key("prescore-result"), Value::Object(prescore));
        let (mut raw, mut fin) = (Map::new(), Map::new());
        for (r, &n) in a.feasible.iter().enumerate() {
            let row = |cells: &[i64], weighted: bool| -> Map<String, Value> {
                table
                    .plugins
                    .iter()
                    .enumerate()
                    .map(|(c, (p, w))| {
                        let v = table.cell(cells, r, c) * if weighted { *w } else { 1 };
                        (p.name().to_string(), json!(v.to_string()))
                    })
                    .collect()
            };
            raw.insert(
                a.node_name(n).to_string(),
                Value::Object(row(&table.raw, false)),
            );
            fin.insert(
                a.node_name(n).to_string(),
                Value::Object(row(&table.normalized, true)),
            );
        }
        m.insert(key("score-result"), Value::Object(raw));
        m.insert(key("finalscore-result"), Value::Object(fin));
    }
    if let Some(p) = &a.preemption {
        let result = match p {
            Preemption::Nominated { .. } => "success".to_string(),
            _ => a.postfilter_message().unwrap_or_default(),
        };
        m.insert(
            key("postfilter-result"),
            json!({"DefaultPreemption": result}),
        );
        m.insert("simdeck/preemption".into(), preemption(a, p));
    }
    if let Some(s) = a.selected {
        m.insert(key("selected-node"), json!(a.node_name(s.node)));
        let permit = match permit {
            None => json!({}),
            Some(true) => json!({"Coscheduling": "wait"}),
            Some(false) => json!({"Coscheduling": "success"}),
        };
        m.insert(key("permit-result"), permit);
        if phase == Phase::Bound || phase == Phase::Terminating {
            m.insert(key("bind-result"), json!({"DefaultBinder": "success"}));
        }
        m.insert(
            "simdeck/tie-break".into(),
            json!({"tied": s.ties, "kept": s.draw}),
        );
    }
    m.insert("simdeck/nodes-evaluated".into(), json!(a.processed()));
    m.insert(
        "simdeck/stop".into(),
        json!(match a.stop {
            Stop::AllNodes => "every node was looked at".to_string(),
            Stop::FoundEnough => format!(
                "found {} feasible nodes (percentageOfNodesToScore)",
                a.to_find
            ),
            Stop::NominatedNode => "the nominated node passed".to_string(),
        }),
    );
    m.insert("simdeck/start-index".into(), json!(a.start));
    if a.selected.is_none() {
        m.insert(
            "simdeck/backoff".into(),
            json!(backoff_duration(attempts).to_string()),
        );
    }
    Value::Object(m)
}

fn preemption(a: &Attempt, p: &Preemption) -> Value {
    match p {
        Preemption::NotEligible(_) | Preemption::NoCandidates(_) => {
            json!({"result": a.postfilter_message()})
        }
        Preemption::Nominated {
            candidates,
            chosen,
            criterion,
            offset,
        } => json!({
            "offset": offset,
            "candidates": candidates.iter().map(|c| json!({
                "node": a.node_name(c.node),
                "victims": c.victims.iter().filter_map(|v| a.pods.get(*v as usize)).map(|p| p.name.as_str()).collect::<Vec<_>>(),
                "pdbViolations": c.pdb_violations,
            })).collect::<Vec<_>>(),
            "nominatedNodeName": candidates.get(*chosen).map(|c| a.node_name(c.node)),
            "criterion": criterion.says(),
        }),
    }
}
