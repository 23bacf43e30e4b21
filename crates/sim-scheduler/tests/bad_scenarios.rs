//! Invalid scenarios give located errors naming what was expected.

mod common;

use common::scenario;

fn error(body: &str) -> (usize, String) {
    let src = scenario(body);
    let e = sim_scheduler::load("bad.toml", &src)
        .map(|_| ())
        .unwrap_err();
    (e.line, e.message)
}

fn line_of(body: &str, needle: &str) -> usize {
    scenario(body)
        .lines()
        .position(|l| l.contains(needle))
        .unwrap()
        + 1
}

const NODE: &str = "[[nodes]]\nname = \"a\"\ncpu = \"1\"\nmemory = \"1Gi\"\n";

#[test]
fn an_unknown_plugin_is_located_and_the_known_ones_listed() {
    let body = format!("[profile]\ndisabled = [\"NodeResourcesFitt\"]\n\n{NODE}");
    let (line, message) = error(&body);
    assert_eq!(line, line_of(&body, "disabled"));
    assert!(
        message.contains("unknown plugin `NodeResourcesFitt`"),
        "{message}"
    );
    assert!(
        message.contains("NodeResourcesFit, PodTopologySpread"),
        "{message}"
    );
}

#[test]
fn weights_must_be_positive_and_belong_to_score_plugins() {
    let body = format!("[profile]\nweights = {{ ImageLocality = -2 }}\n\n{NODE}");
    let (line, message) = error(&body);
    assert_eq!(line, line_of(&body, "weights"));
    assert!(message.contains("negative weight"), "{message}");
    let body = format!("[profile]\nweights = {{ NodeName = 2 }}\n\n{NODE}");
    assert!(error(&body).1.contains("`NodeName` is not a Score plugin"));
}

#[test]
fn the_queue_sort_and_bind_plugins_cannot_be_disabled() {
    let body = format!("[profile]\ndisabled = [\"PrioritySort\"]\n\n{NODE}");
    assert!(error(&body).1.contains("exactly one QueueSort plugin"));
}

#[test]
fn a_duplicate_node_name_is_located_at_the_second_declaration() {
    let body = format!("{NODE}\n{NODE}");
    let (line, message) = error(&body);
    assert_eq!(line, 12, "the second `name = \"a\"`: {message}");
    assert!(message.contains("node `a` is declared twice"), "{message}");
    let counted = format!("{NODE}\n[[nodes]]\nname = \"a\"\ncount = 2\ncpu = \"1\"\nmemory = \"1Gi\"\n\n[[nodes]]\nname = \"a-2\"\ncpu = \"1\"\nmemory = \"1Gi\"\n");
    assert!(error(&counted).1.contains("node `a-2` is declared twice"));
}

#[test]
fn bad_quantities_references_and_classes_are_located() {
    let cases = [
        (format!("{NODE}\n[[pods]]\nname = \"p\"\ncpu = \"lots\"\n"), "cpu = \"lots\"", "not a CPU quantity"),
        (format!("{NODE}\n[[pods]]\nname = \"p\"\nmemory = \"-1Gi\"\n"), "memory = \"-1Gi\"", "not a byte quantity"),
        (format!("{NODE}\n[[pods]]\nname = \"p\"\npriority_class = \"gold\"\n"), "priority_class", "no PriorityClass `gold`"),
        (format!("{NODE}\n[[pods]]\nname = \"p\"\nnode = \"zz\"\n"), "node = \"zz\"", "no node has that name"),
        (format!("{NODE}\n[[pods]]\nname = \"p\"\ngang = \"g\"\n"), "gang = ", "gang_size"),
        (format!("{NODE}\n[[script]]\nat_s = 1\naction = \"cordon\"\nnode = \"b\"\n"), "node = \"b\"", "no node `b`"),
        (format!("{NODE}\n[[script]]\nat_s = 1\naction = \"delete-pod\"\n"), "action =", "needs `pod`"),
        (format!("[profile]\nstrategy = \"RequestedToCapacityRatio\"\nshape = [[50, 1], [10, 2]]\n\n{NODE}"), "shape", "rising strictly"),
    ];
    for (body, needle, expected) in cases {
        let (line, message) = error(&body);
        assert!(message.contains(expected), "{needle}: {message}");
        assert_eq!(line, line_of(&body, needle), "{needle}: {message}");
    }
}

#[test]
fn unknown_fields_name_the_allowed_ones() {
    let body = format!("{NODE}colour = \"red\"\n");
    let (_, message) = error(&body);
    assert!(
        message.contains("colour") && message.contains("unschedulable"),
        "{message}"
    );
}
