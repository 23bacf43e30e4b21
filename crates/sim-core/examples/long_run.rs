//! A synthetic simulation run for millions of steps in the player's summary
//! mode: prints steps per second, snapshots kept and peak memory, so a run
//! of 1 million and one of 10 million steps can be compared.
//!
//! `cargo run --release -p sim-core --example long_run -- [STEPS] [ENTITIES]`
//! (defaults: 10,000,000 steps, 1,000 entities).
//!
//! Each entity is a timer with its own random stream; a step fires the
//! earliest timer, which draws its next delay and schedules itself again.

use sim_core::{
    Agenda, Context, Event, Fact, InputError, NoInput, Player, PlayerConfig, Record, Rule, SimRng,
    SimTime, Simulation,
};
use std::time::Instant;

const FIRE: Rule = Rule {
    id: "synthetic.fire",
    says: "The earliest timer fires and sets itself again after a random delay.",
    source: "sim-core long-run example",
};

/// One timer firing, in fields; its sentence is rendered only when asked for.
#[derive(Debug, Clone)]
struct Fired {
    entity: u32,
    next_in_us: u64,
}

impl Fact for Fired {
    fn rule(&self) -> &'static Rule {
        &FIRE
    }

    fn kind(&self) -> &'static str {
        "fired"
    }

    fn object(&self) -> String {
        format!("timer {}", self.entity)
    }

    fn detail(&self) -> String {
        format!("fires again in {} µs", self.next_in_us)
    }
}

#[derive(Debug, Clone)]
struct Timers {
    streams: Vec<SimRng>,
    agenda: Agenda<u32>,
}

impl Timers {
    fn new(entities: u32, seed: u64) -> Self {
        let mut agenda = Agenda::new();
        let streams = (0..entities)
            .map(|i| {
                agenda.schedule(SimTime::ZERO, i);
                SimRng::stream(seed, &format!("timer:{i}"))
            })
            .collect();
        Timers { streams, agenda }
    }
}

impl Simulation for Timers {
    type Fact = Fired;
    type Input = NoInput;

    fn step(&mut self, cx: &mut Context<'_>) -> Option<Event<Fired>> {
        let (at, entity) = self.agenda.pop()?;
        cx.advance_to(at);
        let next_in_us = 1 + self.streams.get_mut(entity as usize)?.below(1_000);
        self.agenda
            .schedule(at.plus(SimTime::from_micros(next_in_us)), entity);
        Some(Event::new(cx.now(), Fired { entity, next_in_us }))
    }

    fn handle(&mut self, _cx: &mut Context<'_>, input: &NoInput) -> Result<(), InputError> {
        match *input {}
    }
}

/// Peak resident memory of this process in KiB (Linux), if known.
fn peak_kib() -> Option<u64> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    let line = status.lines().find(|l| l.starts_with("VmHWM:"))?;
    line.split_whitespace().nth(1)?.parse().ok()
}

fn main() {
    let mut args = std::env::args().skip(1);
    let steps: usize = args
        .next()
        .and_then(|a| a.parse().ok())
        .unwrap_or(10_000_000);
    let entities: u32 = args.next().and_then(|a| a.parse().ok()).unwrap_or(1_000);
    let config = PlayerConfig {
        snapshot_every: 1024,
        max_snapshots: 64,
        record: Record::Summary,
    };
    let mut player = Player::with_config(Timers::new(entities, 1), 1, config);
    let start = Instant::now();
    player.run_to_end(steps);
    let seconds = start.elapsed().as_secs_f64();
    let last = player
        .last_event()
        .map(|e| format!("{} {}", e.fact.object(), e.fact.detail()))
        .unwrap_or_default();
    println!(
        "steps={} entities={entities} seconds={seconds:.3} steps_per_second={:.0} snapshots={} virtual_time={} peak_kib={} last=\"{last}\"",
        player.summary().steps,
        player.summary().steps as f64 / seconds,
        player.snapshot_count(),
        player.now(),
        peak_kib().map_or("unknown".into(), |k| k.to_string()),
    );
}
