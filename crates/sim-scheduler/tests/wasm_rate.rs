//! scheduler_perf's SchedulingBasic (5,000 nodes, 1,000 placed, 10,000
//! pods) in a real browser, printing pods per second (no timed assertion):
//! `wasm-pack test --release --headless --chrome crates/sim-scheduler --test wasm_rate`.
#![cfg(target_arch = "wasm32")]

use sim_core::{Player, PlayerConfig, Record};
use sim_scheduler::{workloads, SchedulerSim};
use wasm_bindgen_test::*;

wasm_bindgen_test_configure!(run_in_browser);

#[wasm_bindgen_test]
fn scheduling_basic_rate_in_the_browser() {
    let (nodes, placed, pods) = (5_000, 1_000, 10_000);
    let config = workloads::scheduling_basic(nodes, placed, pods);
    let summary = PlayerConfig {
        snapshot_every: 4096,
        max_snapshots: 16,
        record: Record::Summary,
    };
    let started = js_sys::Date::now();
    let mut player = Player::with_config(SchedulerSim::new(config), 1, summary);
    assert!(player.run_to_end(usize::MAX));
    let ms = js_sys::Date::now() - started;
    assert_eq!(player.sim().stats().bound, pods as u64);
    console_log!(
        "SchedulingBasic {nodes} nodes, {placed} placed, {pods} pods: {:.0} ms, {:.0} pods/s",
        ms,
        pods as f64 / (ms / 1000.0)
    );
}
