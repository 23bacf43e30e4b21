//! The typed state figures read says what the runner's JSON state says.

mod common;

use common::{shipped, STEP_LIMIT};
use serde_json::Value;
use sim_core::{JsonState, SimTime};
use sim_logs::LogsSim;

/// Checks every typed accessor against the JSON view of the same state.
fn agree(sim: &LogsSim, now: SimTime, name: &str) {
    let json = sim.state_json(now);
    assert_eq!(json["clock"], sim.wall_clock(now).rfc3339_nano(), "{name}");

    let files: Vec<Value> = sim
        .files()
        .map(|f| serde_json::json!([f.path, f.inode, f.size, f.gzip, f.text.lines().count()]))
        .collect();
    let json_files: Vec<Value> = json["files"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| serde_json::json!([f["path"], f["inode"], f["size"], f["gzip"], f["lines"]]))
        .collect();
    assert_eq!(files, json_files, "{name}");
    let rotated: Vec<&str> = sim.rotated_files().map(|f| f.path).collect();
    let not_current: Vec<&str> = sim
        .files()
        .map(|f| f.path)
        .filter(|p| !p.ends_with(".log"))
        .collect();
    assert_eq!(rotated, not_current, "{name}");

    let containers: Vec<Value> = sim
        .containers()
        .iter()
        .map(|c| serde_json::json!([c.name, c.restart_count, c.container_id, c.log_file]))
        .collect();
    let json_containers: Vec<Value> = json["pods"]
        .as_array()
        .unwrap()
        .iter()
        .flat_map(|p| p["containers"].as_array().unwrap().clone())
        .map(|c| {
            serde_json::json!([
                c["name"],
                c["restart_count"],
                c["container_id"],
                c["log_file"]
            ])
        })
        .collect();
    assert_eq!(containers, json_containers, "{name}");

    let pods: Vec<Value> = sim
        .pods()
        .map(|p| {
            serde_json::json!([
                p.namespace,
                p.name,
                p.uid,
                p.shared_files.keys().collect::<Vec<_>>()
            ])
        })
        .collect();
    let json_pods: Vec<Value> = json["pods"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| {
            let shared: Vec<&String> = p["shared_files"].as_object().unwrap().keys().collect();
            serde_json::json!([p["namespace"], p["name"], p["uid"], shared])
        })
        .collect();
    assert_eq!(pods, json_pods, "{name}");

    let links: Vec<Value> = sim
        .symlinks()
        .map(|(link, target)| serde_json::json!({ "link": link, "target": target }))
        .collect();
    assert_eq!(Value::from(links), json["symlinks"], "{name}");
    assert_eq!(
        sim.backend().len(),
        json["backend"].as_array().unwrap().len(),
        "{name}"
    );
    assert_eq!(
        sim.last_output().map(|o| serde_json::json!(o.output)),
        json["last_output"].get("output").cloned(),
        "{name}"
    );
}

#[test]
fn typed_state_matches_the_json_state_through_every_shipped_run() {
    for file in shipped() {
        let mut p = file.player();
        let mut steps = 0;
        while p.forward().is_some() && steps < STEP_LIMIT {
            steps += 1;
            if steps % 7 == 0 {
                agree(p.sim(), p.now(), &file.name);
            }
        }
        agree(p.sim(), p.now(), &file.name);
        assert!(p.sim().files().count() > 0, "{}", file.name);
    }
}
