//! A config is all a simulation needs: it survives the binary encoding the
//! site embeds (postcard), and the simulation built from the decoded config
//! runs exactly as the one built from the loaded file.

mod common;

use common::*;
use sim_cgroups::{load, CgroupSim, Config};
use sim_core::Player;

#[test]
fn every_shipped_config_survives_postcard_and_runs_the_same() {
    for (name, src) in shipped() {
        let (header, config) = load(&name, &src).unwrap_or_else(|e| panic!("{e}"));
        let bytes = postcard::to_allocvec(&config).expect("encodes");
        let decoded: Config = postcard::from_bytes(&bytes).expect("decodes");
        assert_eq!(decoded, config, "{name}");
        let run = |config: Config| {
            finish(Player::new(CgroupSim::new(config), header.seed))
                .to_trace()
                .to_json()
        };
        assert_eq!(run(decoded), run(config), "{name}");
    }
}

#[test]
fn groups_set_up_in_the_file_start_with_their_settings() {
    let src = inline(
        "",
        "[[cgroup]]\npath = \"/p\"\nset = [\"cpu.shares=1\", \"cpu.cfs_quota_us=50000\", \"memory.limit_in_bytes=1001\"]",
        &["sleep 1"],
    );
    let (_, config) = load("c.toml", &src).unwrap_or_else(|e| panic!("{e}"));
    let group = &config.groups[0];
    assert_eq!(group.path, "/p");
    assert_eq!(group.cpu.shares, 2, "clamped as the kernel does");
    assert_eq!(group.cpu.quota_us, Some(50_000));
    assert_eq!(
        group.memory.limit_pages,
        Some(0),
        "1001 bytes is no whole page"
    );
    let sim = CgroupSim::new(config);
    let p = sim.group("/p").expect("created");
    assert_eq!(p.cpu.runtime_left_ns, 50_000_000, "a full first period");
    assert_eq!(
        sim.read_file("/sys/fs/cgroup/memory/p/memory.limit_in_bytes")
            .as_deref(),
        Some("0")
    );
}
