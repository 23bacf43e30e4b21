//! The simulator registry: from a scenario file to a runnable simulation.
//!
//! Contract: [`Registry::load`] reads the `[scenario]` header, picks the
//! simulator it names and hands the whole file to that simulator's `load`.
//! Every failure is a located [`ScenarioError`]; an unknown simulator is
//! reported at the `simulator` value and lists the registered names.

use crate::AnySim;
use serde::de::DeserializeOwned;
use serde::{Deserialize, Serialize};
use sim_core::scenario::{header_entry_span, parse, read_header, Header, ScenarioError, Spanned};
use sim_core::{CompiledScenario, JsonState, Player, Simulation, Timeline, Tunable};

/// A simulator's loader, with its result wrapped as an [`AnySim`].
type Loader = Box<dyn Fn(&str, &str) -> Result<(Header, AnySim), ScenarioError>>;

/// A simulator's loader, with the config it read encoded for the site.
type Encoder = Box<dyn Fn(&str, &str) -> Result<(Header, Vec<u8>), ScenarioError>>;

/// One registered simulator.
struct Entry {
    name: &'static str,
    load: Loader,
    encode: Encoder,
}

/// The simulators a scenario may name, each with its loader.
pub struct Registry {
    entries: Vec<Entry>,
}

/// A scenario file loaded by its simulator, ready to play.
#[derive(Debug, Clone)]
pub struct Scenario {
    /// The file's name as given to [`Registry::load`].
    pub file: String,
    /// The `[scenario]` table.
    pub header: Header,
    /// The simulation at step 0.
    pub sim: AnySim,
}

impl Scenario {
    /// A player at step 0, seeded with `seed`, or with the file's own seed when `None`.
    pub fn player(&self, seed: Option<u64>) -> Player<AnySim> {
        Player::new(self.sim.clone(), seed.unwrap_or(self.header.seed))
    }
}

impl Registry {
    /// A registry that knows no simulator.
    pub fn empty() -> Self {
        Registry {
            entries: Vec::new(),
        }
    }

    /// The registry of every simulator shipped with simdeck.
    pub fn builtin() -> Self {
        let mut registry = Registry::empty();
        registry
            .register(
                sim_cgroups::SIMULATOR,
                sim_cgroups::load,
                sim_cgroups::CgroupSim::new,
            )
            .register(
                sim_overlay::SIMULATOR,
                sim_overlay::load,
                sim_overlay::OverlaySim::new,
            )
            .register(sim_logs::SIMULATOR, sim_logs::load, sim_logs::LogsSim::new)
            .register(
                sim_scheduler::SIMULATOR,
                sim_scheduler::load,
                sim_scheduler::SchedulerSim::new,
            );
        registry
    }

    /// Adds the simulator `name`: `load` reads a scenario file into a
    /// validated config, `new` builds the simulation from a config. A later
    /// registration under the same name replaces the earlier one.
    pub fn register<C, S, L, N>(&mut self, name: &'static str, load: L, new: N) -> &mut Self
    where
        C: Serialize + Tunable + 'static,
        S: Simulation + JsonState + 'static,
        S::Input: DeserializeOwned,
        L: Fn(&str, &str) -> Result<(Header, C), ScenarioError> + Clone + 'static,
        N: Fn(C) -> S + 'static,
    {
        let load_for_encode = load.clone();
        let entry = Entry {
            name,
            load: Box::new(move |file, src| {
                load(file, src).map(|(h, config)| (h, AnySim::new(name, new(config))))
            }),
            encode: Box::new(move |file, src| {
                let (header, config) = load_for_encode(file, src)?;
                check_what_ifs(file, src, &header, &config)?;
                let bytes = postcard::to_allocvec(&config).map_err(|e| {
                    ScenarioError::at(file, src, 0..0, format!("cannot encode the config: {e}"))
                })?;
                Ok((header, bytes))
            }),
        };
        match self.entries.iter_mut().find(|known| known.name == name) {
            Some(known) => *known = entry,
            None => self.entries.push(entry),
        }
        self
    }

    /// The registered simulator names, in registration order.
    pub fn names(&self) -> Vec<&'static str> {
        self.entries.iter().map(|entry| entry.name).collect()
    }

    /// Loads the scenario `src` (named `file` in errors) with the simulator its header names.
    pub fn load(&self, file: &str, src: &str) -> Result<Scenario, ScenarioError> {
        let (header, sim) = (self.entry_for(file, src)?.load)(file, src)?;
        Ok(Scenario {
            file: file.to_string(),
            header,
            sim,
        })
    }

    /// Compiles the scenario `src` for the site: its header, its config in
    /// binary form and the number of steps its script runs, at most `limit`
    /// (a script still running then is an error).
    pub fn compile(
        &self,
        file: &str,
        src: &str,
        limit: usize,
    ) -> Result<CompiledScenario, ScenarioError> {
        let (header, config) = (self.entry_for(file, src)?.encode)(file, src)?;
        let (_, mut player) = self.play(file, src, None, limit)?;
        check_click_points(file, src, &header, &mut player, limit)?;
        Ok(CompiledScenario {
            file_name: crate::paths::file_name(file).to_string(),
            header,
            config,
            steps: player.position() as u64,
        })
    }

    /// Loads `src` (named `file`) and plays it to the end of its script with
    /// `seed` (or the file's seed); a script still running after `limit`
    /// steps is an error.
    pub fn play(
        &self,
        file: &str,
        src: &str,
        seed: Option<u64>,
        limit: usize,
    ) -> Result<(Scenario, Player<AnySim>), ScenarioError> {
        let scenario = self.load(file, src)?;
        let mut player = scenario.player(seed);
        if !player.run_to_end(limit) {
            return Err(ScenarioError::at(
                file,
                src,
                0..0,
                format!("the script did not finish within {limit} steps"),
            ));
        }
        Ok((scenario, player))
    }

    /// The entry of the simulator the header of `src` names.
    fn entry_for(&self, file: &str, src: &str) -> Result<&Entry, ScenarioError> {
        let header = read_header(file, src)?;
        self.entries
            .iter()
            .find(|entry| entry.name == header.simulator)
            .ok_or_else(|| self.unknown_simulator(file, src, &header.simulator))
    }

    fn unknown_simulator(&self, file: &str, src: &str, simulator: &str) -> ScenarioError {
        #[derive(Deserialize)]
        struct Probe {
            scenario: SimulatorField,
        }
        #[derive(Deserialize)]
        struct SimulatorField {
            simulator: Spanned<String>,
        }
        let span = parse::<Probe>(file, src)
            .map(|probe| probe.scenario.simulator.span())
            .unwrap_or(0..0);
        let known = if self.entries.is_empty() {
            "no simulator is registered".to_string()
        } else {
            let names: Vec<String> = self.names().iter().map(|n| format!("`{n}`")).collect();
            format!("expected one of {}", names.join(", "))
        };
        ScenarioError::at(
            file,
            src,
            span,
            format!("unknown simulator `{simulator}`: {known}"),
        )
    }
}

/// Every what-if turns a knob the config has, and starts within its bounds.
fn check_what_ifs<C: Tunable>(
    file: &str,
    src: &str,
    header: &Header,
    config: &C,
) -> Result<(), ScenarioError> {
    for (i, what_if) in header.what_if.iter().enumerate() {
        let problem = match config.knob(&what_if.knob) {
            Err(e) => Some(format!("what-if `{}`: {e}", what_if.key)),
            Ok(value) => what_if.check(value).err().map(|e| {
                format!(
                    "what-if `{}` starts out of its own bounds: {e}",
                    what_if.key
                )
            }),
        };
        if let Some(message) = problem {
            return Err(ScenarioError::at(
                file,
                src,
                header_entry_span(file, src, true, i),
                message,
            ));
        }
    }
    Ok(())
}

/// Every click point waits for script units the script has.
fn check_click_points(
    file: &str,
    src: &str,
    header: &Header,
    player: &mut Player<AnySim>,
    limit: usize,
) -> Result<(), ScenarioError> {
    let units = Timeline::record(player, limit).units();
    match header.clicks.iter().position(|point| point.after > units) {
        None => Ok(()),
        Some(i) => Err(ScenarioError::at(
            file,
            src,
            header_entry_span(file, src, false, i),
            format!(
                "click point “{}” waits for {} script units, but the script has only {units}",
                header.clicks[i].name, header.clicks[i].after
            ),
        )),
    }
}

impl Default for Registry {
    /// The same as [`Registry::builtin`].
    fn default() -> Self {
        Registry::builtin()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::test_sim;

    use test_sim::registry;

    #[test]
    fn dispatches_on_the_simulator_named_in_the_header() {
        let scenario = registry()
            .load("a.toml", &test_sim::scenario(3, 7))
            .unwrap();
        assert_eq!(scenario.sim.simulator(), test_sim::SIMULATOR);
        assert_eq!(scenario.header.seed, 7);
        let mut player = scenario.player(None);
        assert!(player.run_to_end(100));
        assert_eq!(player.position(), 3);
        assert_eq!(player.seed(), 7);
        assert_eq!(scenario.player(Some(8)).seed(), 8);
    }

    #[test]
    fn unknown_simulator_is_located_at_its_value_and_lists_the_names() {
        let src = "[scenario]\ntitle = \"t\"\nsimulator = \"cgroupz\"\n";
        let e = registry().load("x.toml", src).unwrap_err();
        assert_eq!(
            (e.file.as_str(), e.line, e.column),
            ("x.toml", 3, 13),
            "{e}"
        );
        assert!(e.message.contains("`cgroupz`"), "{e}");
        assert!(e.message.contains("`counter`"), "{e}");
        let none = Registry::empty().load("x.toml", src).unwrap_err();
        assert!(
            none.message.contains("no simulator is registered"),
            "{none}"
        );
    }

    #[test]
    fn header_and_simulator_errors_keep_their_location() {
        let e = registry()
            .load("h.toml", "[scenario]\ntitle = 1\n")
            .unwrap_err();
        assert_eq!(e.line, 2, "{e}");
        let bad_ticks = test_sim::scenario(3, 0).replace("ticks = 3", "ticks = -1");
        let e = registry().load("c.toml", &bad_ticks).unwrap_err();
        let line = bad_ticks
            .lines()
            .position(|l| l.starts_with("ticks"))
            .unwrap()
            + 1;
        assert_eq!(e.line, line, "{e}");
    }

    #[test]
    fn a_compiled_scenario_carries_header_config_and_length() {
        let compiled = registry()
            .compile("dir/c.toml", &test_sim::scenario(6, 2), 100)
            .unwrap();
        assert_eq!(compiled.file_name, "c.toml");
        assert_eq!(compiled.header.seed, 2);
        assert_eq!(compiled.steps, 6);
        let config: test_sim::CounterConfig = postcard::from_bytes(&compiled.config).unwrap();
        assert_eq!(
            config,
            test_sim::CounterConfig {
                ticks: 6,
                unit_every: 0
            }
        );
        let e = registry()
            .compile("c.toml", &test_sim::scenario(60, 2), 10)
            .unwrap_err();
        assert!(e.message.contains("did not finish within 10 steps"), "{e}");
    }

    #[test]
    fn compiling_checks_what_ifs_against_the_config_and_clicks_against_the_script() {
        let with = |extra: &str| {
            test_sim::scenario(6, 2).replace("[counter]", &format!("{extra}\n[counter]"))
                + "unit_every = 2\n"
        };
        let ok = with("[[scenario.click]]\nname = \"c\"\nafter = 3\n\n[[scenario.what_if]]\nkey = \"t\"\nlabel = \"Ticks\"\nknob = \"ticks\"\nmin = 1\nmax = 9\n");
        assert!(registry().compile("c.toml", &ok, 100).is_ok());
        let unreachable = ok.replace("after = 3", "after = 4");
        let e = registry().compile("c.toml", &unreachable, 100).unwrap_err();
        assert!(e.message.contains("but the script has only 3"), "{e}");
        assert_eq!(e.line, 6, "{e}");
        let unknown = ok.replace("knob = \"ticks\"", "knob = \"tocks\"");
        let e = registry().compile("c.toml", &unknown, 100).unwrap_err();
        assert!(e.message.contains("no knob `tocks`"), "{e}");
        assert_eq!(e.line, 10, "{e}");
        let outside = ok.replace("max = 9", "max = 5");
        let e = registry().compile("c.toml", &outside, 100).unwrap_err();
        assert!(e.message.contains("starts out of its own bounds"), "{e}");
    }

    #[test]
    fn the_builtin_registry_knows_every_shipped_simulator() {
        assert_eq!(
            Registry::builtin().names(),
            vec!["cgroups", "overlay", "logs", "scheduler"]
        );
        assert_eq!(Registry::default().names(), Registry::builtin().names());
    }

    #[test]
    fn a_later_registration_replaces_an_earlier_one() {
        let mut registry = registry();
        registry.register(
            test_sim::SIMULATOR,
            |file: &str, src: &str| {
                test_sim::load(file, src).map(|(header, mut config)| {
                    config.ticks = 1;
                    (header, config)
                })
            },
            test_sim::new,
        );
        assert_eq!(registry.names(), vec![test_sim::SIMULATOR]);
        let mut player = registry
            .load("a.toml", &test_sim::scenario(5, 0))
            .unwrap()
            .player(None);
        assert!(player.run_to_end(100));
        assert_eq!(player.position(), 1);
    }
}
