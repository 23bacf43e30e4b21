//! What the scheduler does, checked on small scenarios: the message
//! Kubernetes writes, preemption with budgets, the gang Permit, the queue's
//! backoff, flush and gates, the rotating start, profiles.

mod common;

use common::{load, scenario, steps, STEP_LIMIT};
use sim_core::Fact;
use sim_scheduler::attempt::{Criterion, Preemption};
use sim_scheduler::cluster::Phase;
use sim_scheduler::fact::Point;
use sim_scheduler::SchedFact;

const FOUR_NODES: &str = r#"
[[nodes]]
name = "small"
cpu = "1"
memory = "4Gi"

[[nodes]]
name = "tainted"
count = 3
cpu = "8"
memory = "8Gi"
taints = [{ key = "node-role", value = "master", effect = "NoSchedule" }]
"#;

fn detail_of(all: &[(String, String)], kind: &str) -> Vec<String> {
    all.iter()
        .filter(|(k, _)| k == kind)
        .map(|(_, d)| d.clone())
        .collect()
}

#[test]
fn an_unschedulable_pod_gets_kubernetes_own_message() {
    let src = scenario(&format!(
        "{FOUR_NODES}\n[[pods]]\nname = \"p\"\ncpu = \"2\"\nmemory = \"1Gi\"\n"
    ));
    let file = load("m.toml", &src);
    let mut p = file.player();
    p.run_to_end(STEP_LIMIT);
    let record = &p.sim().records()[0];
    let message = record.last.as_ref().and_then(|a| a.message()).unwrap();
    assert_eq!(
        message,
        "0/4 nodes are available: 1 Insufficient cpu, 3 node(s) had untolerated taint {node-role: master}. \
         preemption: 0/4 nodes are available: 1 No preemption victims found for incoming pod, 3 Preemption is not helpful for scheduling."
    );
    assert_eq!(p.sim().cluster().pod_state(0).phase, Phase::Pending);
    let requeued = detail_of(&steps(&file), "unschedulable");
    assert!(requeued[0].contains(&message), "{requeued:?}");
}

#[test]
fn a_request_larger_than_every_node_is_accepted_and_stays_pending_as_in_kubernetes() {
    let src = scenario(
        "[[nodes]]\nname = \"a\"\ncpu = \"2\"\nmemory = \"1Gi\"\n\n[[pods]]\nname = \"huge\"\ncpu = \"64\"\nmemory = \"1Ti\"\n",
    );
    let file = load("huge.toml", &src);
    let mut p = file.player();
    p.run_to_end(STEP_LIMIT);
    let message = p.sim().records()[0].last.as_ref().and_then(|a| a.message());
    assert_eq!(
        message.as_deref(),
        Some("0/1 nodes are available: 1 Insufficient cpu, 1 Insufficient memory. preemption: 0/1 nodes are available: 1 No preemption victims found for incoming pod.")
    );
}

const PREEMPTION: &str = r#"
[[priority_classes]]
name = "low"
value = 10

[[priority_classes]]
name = "mid"
value = 20

[[priority_classes]]
name = "high"
value = 1000

[[nodes]]
name = "n1"
cpu = "2"
memory = "8Gi"

[[nodes]]
name = "n2"
cpu = "2"
memory = "8Gi"

[[pods]]
name = "a"
node = "n1"
priority_class = "low"
cpu = "1"
labels = { app = "db" }
grace_s = 3

[[pods]]
name = "b"
node = "n1"
priority_class = "low"
cpu = "1"
grace_s = 3

[[pods]]
name = "c"
node = "n2"
priority_class = "mid"
cpu = "2"
grace_s = 3

[[pods]]
name = "hi"
at_s = 1
priority_class = "high"
cpu = "1"
"#;

#[test]
fn preemption_evicts_the_fewest_least_important_pods_and_binds_after_they_are_gone() {
    let file = load("pre.toml", &scenario(PREEMPTION));
    let mut p = file.player();
    p.run_to_end(STEP_LIMIT);
    let c = p.sim().cluster();
    let hi = c.pod_named("hi").unwrap();
    // n1 needs one of its two low pods gone (reprieve puts the other back);
    // n2 would lose a mid pod: the lower highest-victim priority wins.
    let first = c.pod_state(hi).attempts;
    assert_eq!(first, 2, "one attempt preempts, the next binds");
    assert_eq!(c.pod_state(hi).phase, Phase::Bound);
    assert_eq!(c.node_name(c.pod_state(hi).node.unwrap()), "n1");
    let gone: Vec<&str> = ["a", "b", "c"]
        .into_iter()
        .filter(|n| c.pod_state(c.pod_named(n).unwrap()).phase == Phase::Deleted)
        .collect();
    assert_eq!(gone.len(), 1, "exactly one victim: {gone:?}");
    assert_ne!(gone[0], "c", "never the mid pod on n2");
    let all = steps(&file);
    let post = detail_of(&all, "post-filter");
    assert!(
        post[0].contains("picks n1 because its most important victim has the lowest priority"),
        "{post:?}"
    );
    let order: Vec<&str> = all.iter().map(|(k, _)| k.as_str()).collect();
    let gone_at = order.iter().position(|k| *k == "gone").unwrap();
    let bind_at = order.iter().position(|k| *k == "bind").unwrap();
    assert!(
        gone_at < bind_at,
        "the victim is gone before the preemptor binds"
    );
    let filters = detail_of(&all, "filter");
    assert!(
        filters.last().unwrap().contains("nominated node n1"),
        "{filters:?}"
    );
}

#[test]
fn a_pdb_steers_preemption_to_the_node_without_violations() {
    let with_pdb = format!(
        "{PREEMPTION}\n[[pdbs]]\nname = \"db\"\nselector = {{ app = \"db\" }}\nmin_available = 2\n"
    )
    .replace(
        "name = \"b\"\nnode = \"n1\"\npriority_class = \"low\"",
        "name = \"b\"\nnode = \"n1\"\npriority_class = \"low\"\nlabels = { app = \"db\" }",
    );
    let file = load("pdb.toml", &scenario(&with_pdb));
    let mut p = file.player();
    p.run_to_end(STEP_LIMIT);
    let attempt = p.trace().iter().find_map(|e| match &e.fact {
        SchedFact::Point {
            point: Point::PostFilter,
            attempt,
        } => match &attempt.preemption {
            Some(Preemption::Nominated {
                candidates,
                chosen,
                criterion,
                ..
            }) => Some((candidates.clone(), *chosen, *criterion)),
            _ => None,
        },
        _ => None,
    });
    // Both low pods on n1 are covered by a budget that allows none to go:
    // n1's victim violates it, so n2 (one mid victim, no violation) wins.
    let (candidates, chosen, criterion) = attempt.expect("a preemption");
    assert_eq!(candidates.len(), 2);
    let on =
        |c: &sim_scheduler::attempt::Candidate| p.sim().cluster().node_name(c.node).to_string();
    assert_eq!(on(&candidates[chosen]), "n2");
    assert_eq!(criterion, Criterion::FewestPdbViolations);
    let n1 = candidates.iter().find(|c| on(c) == "n1").unwrap();
    assert_eq!((n1.victims.len(), n1.pdb_violations), (1, 1));
}

#[test]
fn preemption_never_and_an_equal_priority_pod_do_not_evict() {
    let never = PREEMPTION.replace(
        "name = \"high\"\nvalue = 1000",
        "name = \"high\"\nvalue = 1000\npreemption_policy = \"Never\"",
    );
    let file = load("never.toml", &scenario(&never));
    let all = steps(&file);
    assert!(detail_of(&all, "post-filter")[0].contains("preemptionPolicy=Never"));
    assert!(detail_of(&all, "gone").is_empty());
    let equal = PREEMPTION.replace(
        "at_s = 1\npriority_class = \"high\"",
        "at_s = 1\npriority_class = \"mid\"\n",
    );
    let file = load("equal.toml", &scenario(&equal));
    let mut p = file.player();
    p.run_to_end(STEP_LIMIT);
    let c = p.sim().cluster();
    assert_eq!(
        c.pod_state(c.pod_named("c").unwrap()).phase,
        Phase::Bound,
        "equal priority is never a victim"
    );
    let deleted = ["a", "b"]
        .iter()
        .filter(|n| c.pod_state(c.pod_named(n).unwrap()).phase == Phase::Deleted)
        .count();
    assert_eq!(deleted, 1, "one lower-priority pod is");
}

const GANG: &str = r#"
[profile]
gang_size = 3
permit_timeout_s = 10

[[nodes]]
name = "n"
cpu = "4"
memory = "8Gi"

[[pods]]
name = "w"
count = 3
cpu = "1"
gang = "train"
"#;

#[test]
fn a_gang_waits_at_permit_until_it_is_complete() {
    let file = load("gang.toml", &scenario(GANG));
    let all = steps(&file);
    let permits = detail_of(&all, "permit");
    assert!(
        permits[0].contains("Wait") && permits[0].contains("1 of 3"),
        "{permits:?}"
    );
    assert!(permits[1].contains("2 of 3"), "{permits:?}");
    assert!(
        permits[2].contains("the waiting w-1, w-2 are allowed too"),
        "{permits:?}"
    );
    let binds = detail_of(&all, "bind");
    assert_eq!(binds.len(), 3);
    assert!(
        binds[0].contains("w-1") && binds[2].contains("w-3"),
        "{binds:?}"
    );
}

#[test]
fn a_gang_that_cannot_complete_times_out_and_is_unreserved() {
    let src = GANG.replace("cpu = \"4\"", "cpu = \"2500m\"");
    let file = load("gang.toml", &scenario(&src));
    let mut p = file.player();
    p.run_to_end(STEP_LIMIT);
    let trace: Vec<(String, String, u64)> = p
        .trace()
        .iter()
        .map(|e| {
            (
                e.fact.kind().to_string(),
                e.fact.detail(),
                e.time.as_nanos(),
            )
        })
        .collect();
    let timed_out = trace
        .iter()
        .find(|(k, d, _)| k == "wait-on-permit" && d.contains("timed out"))
        .unwrap();
    assert_eq!(timed_out.2, 10_000_000_000, "the 10 s Permit timeout");
    let unreserve = trace.iter().position(|(k, _, _)| k == "unreserve").unwrap();
    assert_eq!(trace[unreserve + 1].0, "unschedulable");
    assert!(trace.iter().all(|(k, _, _)| k != "bind"), "no member binds");
    let c = p.sim().cluster();
    assert!(
        c.usage.iter().all(|u| u.pods.is_empty()),
        "every reservation was undone"
    );
}

const GATED: &str = r#"
[[nodes]]
name = "n"
cpu = "1"
memory = "1Gi"

[[pods]]
name = "blocker"
node = "n"
cpu = "800m"
grace_s = 2

[[pods]]
name = "gated"
cpu = "500m"
gates = ["example.com/wait"]

[[pods]]
name = "p"
cpu = "500m"

[[script]]
at_s = 4
action = "remove-gates"
pod = "gated"

[[script]]
at_s = 4
action = "delete-pod"
pod = "blocker"
"#;

#[test]
fn gates_hold_a_pod_and_a_deleted_pod_moves_the_unschedulable_ones() {
    let file = load("gated.toml", &scenario(GATED));
    let mut p = file.player();
    p.run_to_end(STEP_LIMIT);
    let trace: Vec<(String, String, u64)> = p
        .trace()
        .iter()
        .map(|e| {
            (
                e.fact.kind().to_string(),
                e.fact.detail(),
                e.time.as_nanos() / 1_000_000_000,
            )
        })
        .collect();
    let gated = trace.iter().find(|(k, _, _)| k == "gated").unwrap();
    assert!(
        gated
            .1
            .contains("waiting for scheduling gates: [example.com/wait]"),
        "{gated:?}"
    );
    assert!(trace.iter().any(|(k, _, t)| k == "ungated" && *t == 4));
    // The blocker is gone at 4 s + 2 s grace; its deletion moves p back.
    let moved = trace.iter().find(|(k, _, _)| k == "moved").unwrap();
    assert_eq!(moved.2, 6);
    assert!(moved.1.contains("p → activeQ"), "{moved:?}");
    let c = p.sim().cluster();
    for name in ["gated", "p"] {
        assert_eq!(
            c.pod_state(c.pod_named(name).unwrap()).phase,
            Phase::Bound,
            "{name}"
        );
    }
}

#[test]
fn a_moved_pod_still_backing_off_waits_in_backoff_q_until_the_next_second_check() {
    // p fits nowhere. At 1 s a node joins: p failed at 0 s with 1 attempt,
    // its 1 s backoff is over, so it goes to activeQ and fails again at 1 s.
    // At 2 s another node joins: 2 attempts mean 2 s of backoff from 1 s, so
    // p goes to backoffQ, and the one-second check at 3 s moves it back.
    let src = r#"
[[nodes]]
name = "n"
cpu = "1"
memory = "1Gi"

[[pods]]
name = "p"
cpu = "2"

[[script]]
at_s = 1
action = "add-node"
node = "n2"
like = "n"

[[script]]
at_s = 2
action = "add-node"
node = "n3"
like = "n"
"#;
    let file = load("backoff.toml", &scenario(src));
    let mut p = file.player();
    p.run_to_end(STEP_LIMIT);
    let moves: Vec<(u64, String)> = p
        .trace()
        .iter()
        .filter(|e| e.fact.kind() == "moved")
        .map(|e| (e.time.as_nanos() / 1_000_000, e.fact.detail()))
        .collect();
    assert_eq!(moves.len(), 4, "{moves:?}");
    assert_eq!(moves[0], (1000, "Node n2 joined: p → activeQ.".to_string()));
    assert_eq!(
        moves[1],
        (2000, "Node n3 joined: p → backoffQ.".to_string())
    );
    assert_eq!(moves[2].0, 3000);
    assert!(
        moves[2].1.contains("backoff over: p → activeQ"),
        "{moves:?}"
    );
    // Failed for the third time at 3 s: the flush after 303 s is at 330 s.
    assert_eq!(moves[3].0, 330_000);
    assert!(moves[3].1.contains("more than 5 minutes"), "{moves:?}");
    assert_eq!(p.sim().cluster().pod_state(0).attempts, 4);
}

#[test]
fn unschedulable_pods_are_flushed_after_five_minutes() {
    let src = "[scheduler]\nhorizon_s = 700\n\n[[nodes]]\nname = \"n\"\ncpu = \"1\"\nmemory = \"1Gi\"\n\n[[pods]]\nname = \"p\"\ncpu = \"2\"\n";
    let file = load("flush.toml", &scenario(src));
    let mut p = file.player();
    p.run_to_end(STEP_LIMIT);
    let flushes: Vec<u64> = p
        .trace()
        .iter()
        .filter(|e| e.fact.kind() == "moved")
        .map(|e| e.time.as_nanos() / 1_000_000_000)
        .collect();
    // Failed at 0 s: more than 300 s at the 330 s check; failed again at 330 s: 660 s.
    assert_eq!(flushes, [330, 660]);
}

#[test]
fn the_filter_start_rotates_and_stops_at_enough_feasible_nodes() {
    let src = "[[nodes]]\nname = \"n\"\ncount = 200\ncpu = \"4\"\nmemory = \"8Gi\"\n\n[[pods]]\nname = \"p\"\ncount = 3\ncpu = \"100m\"\n";
    let file = load("rotate.toml", &scenario(src));
    let mut p = file.player();
    let mut starts = Vec::new();
    while p.forward().is_some() {
        if let Some(e) = p.last_event() {
            if e.fact.kind() == "filter" {
                starts.push(e.fact.detail());
            }
        }
    }
    // 200 nodes: 50 - 200/125 = 49 %, 98 nodes, at least 100.
    assert_eq!(starts.len(), 3);
    assert!(
        starts[0].contains("looked at 100 of 200 nodes from node 0, stopping at 100 feasible"),
        "{}",
        starts[0]
    );
    assert!(starts[1].contains("from node 100"), "{}", starts[1]);
    assert!(starts[2].contains("from node 0"), "{}", starts[2]);
}

#[test]
fn a_profile_changes_weights_strategies_and_plugins() {
    let body = |profile: &str| {
        scenario(&format!(
            "[profile]\n{profile}\n\n[[nodes]]\nname = \"empty\"\ncpu = \"4\"\nmemory = \"8Gi\"\n\n[[nodes]]\nname = \"busy\"\ncpu = \"4\"\nmemory = \"8Gi\"\n\n[[pods]]\nname = \"load\"\nnode = \"busy\"\ncpu = \"2\"\nmemory = \"4Gi\"\n\n[[pods]]\nname = \"p\"\ncpu = \"1\"\nmemory = \"2Gi\"\n"
        ))
    };
    let chosen = |src: &str| {
        let mut p = load("profile.toml", src).player();
        p.run_to_end(STEP_LIMIT);
        let c = p.sim().cluster();
        c.node_name(c.pod_state(c.pod_named("p").unwrap()).node.unwrap())
            .to_string()
    };
    assert_eq!(chosen(&body("strategy = \"LeastAllocated\"")), "empty");
    assert_eq!(chosen(&body("strategy = \"MostAllocated\"")), "busy");
    assert_eq!(
        chosen(&body(
            "strategy = \"RequestedToCapacityRatio\"\nshape = [[0, 0], [100, 10]]"
        )),
        "busy"
    );
    let file = load("profile.toml", &body("disabled = [\"NodeResourcesBalancedAllocation\", \"ImageLocality\"]\nweights = { NodeResourcesFit = 7 }"));
    let all = steps(&file);
    let normalized = detail_of(&all, "normalize-score");
    assert!(
        normalized[0].contains("Fit 75×7") && !normalized[0].contains("Balanced"),
        "{normalized:?}"
    );
}

#[test]
fn spread_and_anti_affinity_filter_nodes() {
    let src = r#"
[[nodes]]
name = "a"
cpu = "8"
memory = "8Gi"
labels = { zone = "z1" }

[[nodes]]
name = "b"
cpu = "8"
memory = "8Gi"
labels = { zone = "z2" }

[[pods]]
name = "one"
node = "a"
labels = { app = "web" }

[[pods]]
name = "spread"
labels = { app = "web" }
spread = [{ max_skew = 1, topology_key = "zone", when_unsatisfiable = "DoNotSchedule", selector = { app = "web" } }]

[[pods]]
name = "apart"
at_s = 1
pod_anti_affinity = [{ selector = { app = "web" }, topology_key = "zone" }]
"#;
    let file = load("spread.toml", &scenario(src));
    let all = steps(&file);
    let filters = detail_of(&all, "filter");
    assert!(filters[0].contains("a PodTopologySpread Unschedulable: node(s) didn't match pod topology spread constraints"), "{}", filters[0]);
    assert!(filters[1].contains("0 passed"), "{}", filters[1]);
    assert!(
        filters[1].contains(
            "InterPodAffinity Unschedulable: node(s) didn't match pod anti-affinity rules"
        ),
        "{}",
        filters[1]
    );
}

#[test]
fn slide_20_s_what_ifs_move_the_choice_to_node_b() {
    use sim_core::Tunable;
    let file = common::shipped()
        .into_iter()
        .find(|f| f.name == "scheduler-framework.toml")
        .unwrap();
    let chosen = |config: &sim_scheduler::Config| {
        let mut p = sim_core::Player::new(sim_scheduler::SchedulerSim::new(config.clone()), 20);
        p.run_to_end(STEP_LIMIT);
        let c = p.sim().cluster();
        c.node_name(c.pod_state(c.pod_named("web").unwrap()).node.unwrap())
            .to_string()
    };
    assert_eq!(
        chosen(&file.config),
        "node-a",
        "the worked example: 450 against 409"
    );
    let mut loaded = file.config.clone();
    loaded.set_knob("cpu load-a", 1500).unwrap();
    // node-a: Fit (0 + 50) / 2 = 25, Balanced 75: 400 against node-b's 409.
    assert_eq!(chosen(&loaded), "node-b");
    let mut images = file.config.clone();
    images.set_knob("weight ImageLocality", 10).unwrap();
    assert_eq!(
        chosen(&images),
        "node-b",
        "node-b's cached image weighs 10 × 10"
    );
}

#[test]
fn slide_20_at_5000_nodes_scores_the_adaptive_ten_percent() {
    use sim_core::Tunable;
    use sim_scheduler::attempt::Stop;
    let file = common::shipped()
        .into_iter()
        .find(|f| f.name == "scheduler-framework.toml")
        .unwrap();
    let mut config = file.config.clone();
    config.set_knob("nodes like node-b", 5000).unwrap();
    let mut p = sim_core::Player::new(sim_scheduler::SchedulerSim::new(config), 20);
    p.run_to_end(STEP_LIMIT);
    let sim = p.sim();
    let attempt = sim
        .records()
        .iter()
        .find_map(|r| r.last.clone())
        .expect("web was attempted");
    // max(5, 50 - 5000 / 125) = 10 % of 5,000 nodes.
    assert_eq!(attempt.to_find, 500);
    assert_eq!(attempt.stop, Stop::FoundEnough);
    assert_eq!(attempt.feasible.len(), 500);
    let rejected: Vec<&str> = attempt
        .rejected
        .iter()
        .map(|(n, _)| attempt.node_name(*n))
        .collect();
    assert_eq!(
        rejected,
        ["node-c", "node-d"],
        "the two the small cluster rejects"
    );
    let table = attempt.table.as_ref().expect("500 nodes were scored");
    let best = table.totals.iter().max().copied();
    let chosen = attempt.selected.expect("a node was chosen").node;
    let row = attempt.feasible.iter().position(|n| *n == chosen).unwrap();
    assert_eq!(
        Some(table.totals[row]),
        best,
        "the choice has the top total"
    );
    assert!(
        attempt.node_name(chosen).starts_with("node-b-"),
        "an empty copy of node-b beats the loaded nodes: {}",
        attempt.node_name(chosen)
    );
}
