//! The typed state figures read says what the runner's JSON state says.

mod common;

use common::{shipped, STEP_LIMIT};
use serde_json::Value;
use sim_core::Simulation;
use sim_core::{JsonState, SimTime};
use sim_logs::config::Role;
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

/// The accessors that read the config agree with the scenario file's config.
fn config_views_agree(file: &common::Loaded) {
    let sim = &file.sim;
    let from_config: Vec<(String, Option<String>, Role)> = file
        .config
        .pods
        .iter()
        .flat_map(|p| p.containers.iter())
        .map(|c| (c.name.clone(), c.tails.clone(), c.role))
        .collect();
    let from_sim: Vec<(String, Option<String>, Role)> = sim
        .containers()
        .iter()
        .map(|c| (c.name.to_string(), c.tails.map(str::to_string), c.role))
        .collect();
    assert_eq!(from_sim, from_config, "{}", file.name);
    let dirs: Vec<Option<&str>> = sim.pods().map(|p| p.empty_dir).collect();
    let config_dirs: Vec<Option<&str>> = file
        .config
        .pods
        .iter()
        .map(|p| p.empty_dir.as_deref())
        .collect();
    assert_eq!(dirs, config_dirs, "{}", file.name);
    assert_eq!(
        sim.agent_settings(),
        file.config.agent.as_ref(),
        "{}",
        file.name
    );
}

#[test]
fn files_name_themselves_and_count_their_lines() {
    for file in shipped() {
        let mut p = file.player();
        while p.forward().is_some() {}
        let json = p.sim().state_json(p.now());
        for (f, j) in p.sim().files().zip(json["files"].as_array().unwrap()) {
            assert_eq!(f.lines() as u64, j["lines"].as_u64().unwrap(), "{}", f.path);
            assert!(f.path.ends_with(&format!("/{}", f.name())), "{}", f.path);
            assert!(!f.name().contains('/'), "{}", f.name());
        }
    }
}

#[test]
fn a_file_keeps_its_lineage_through_rename_and_gzip() {
    for file in shipped() {
        let mut p = file.player();
        let mut before: Vec<(String, u64, u64)> = Vec::new();
        while p.forward().is_some() {
            let now: Vec<(String, u64, u64)> = p
                .sim()
                .files()
                .map(|f| (f.path.to_string(), f.inode, f.lineage))
                .collect();
            for (path, inode, lineage) in &now {
                let plain = path.strip_suffix(".gz");
                for (old_path, old_inode, old_lineage) in &before {
                    if old_inode == inode || plain == Some(old_path.as_str()) {
                        assert_eq!(lineage, old_lineage, "{}: {old_path} -> {path}", file.name);
                    }
                }
            }
            before = now;
        }
    }
}

#[test]
fn the_clock_and_the_script_position_follow_the_run() {
    for file in shipped() {
        config_views_agree(&file);
        let mut script: Vec<SimTime> = file.config.script.iter().map(|t| t.at).collect();
        script.sort();
        let mut p = file.player();
        assert_eq!(
            (p.sim().now(), p.sim().script_position()),
            (SimTime::ZERO, 0)
        );
        let mut position = 0;
        while let Some(event) = p.forward() {
            let time = event.time;
            let now = p.sim().now();
            assert_eq!(now, time, "{}", file.name);
            let next = p.sim().script_position();
            assert!(next == position || next == position + 1, "{}", file.name);
            if next > position {
                assert_eq!(
                    time,
                    script[next - 1],
                    "{}: unit {next} starts at its time",
                    file.name
                );
            }
            position = next;
        }
        assert_eq!(position, script.len(), "{}: every unit started", file.name);
    }
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
