//! Click points: where a slide's clicks stop in a scenario's script.
//!
//! A simulator counts the *script units* it has started (a shell line, an
//! action, a Dockerfile instruction, a timed entry: each simulator says which,
//! on [`Simulation::script_position`]). A click point waits for a number of
//! units: click `k` shows the run up to the last step before unit
//! `after + 1` starts. A [`Timeline`] turns click points into steps for one
//! run, so a what-if edit or another seed moves them with the script.

use crate::{Player, Simulation};
use serde::{Deserialize, Serialize};

/// A named place in the script: the slide's click stops after `after`
/// script units have started and run as far as they go on their own.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct ClickPoint {
    /// What the click shows, e.g. "set the limits".
    pub name: String,
    /// How many script units the click has run.
    pub after: u32,
}

/// The script position after every step of one run.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Timeline {
    positions: Vec<u32>,
}

impl Timeline {
    /// Plays `player` from step 0 to its end, or to `limit` steps, recording
    /// where in the script each step is; the player is left at its end.
    pub fn record<S: Simulation>(player: &mut Player<S>, limit: usize) -> Timeline {
        player.seek(0);
        let mut positions = Vec::new();
        while positions.len() < limit && player.forward().is_some() {
            positions.push(saturate(player.sim().script_position()));
        }
        Timeline { positions }
    }

    /// How many steps the run has.
    pub fn steps(&self) -> usize {
        self.positions.len()
    }

    /// How many script units the run started in all.
    pub fn units(&self) -> u32 {
        self.positions.iter().copied().max().unwrap_or(0)
    }

    /// The step each click shows: index 0 is the start (step 0), index `k`
    /// the step of click point `k`.
    pub fn click_steps(&self, points: &[ClickPoint]) -> Vec<usize> {
        let mut steps = vec![0];
        steps.extend(points.iter().map(|point| self.step_of(point.after)));
        steps
    }

    /// The last step before unit `after + 1` starts.
    fn step_of(&self, after: u32) -> usize {
        self.positions
            .iter()
            .position(|&p| p > after)
            .unwrap_or(self.positions.len())
    }
}

fn saturate(position: usize) -> u32 {
    u32::try_from(position).unwrap_or(u32::MAX)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::testing::counter::Counter;

    fn point(after: u32) -> ClickPoint {
        ClickPoint {
            name: format!("after {after}"),
            after,
        }
    }

    #[test]
    fn click_steps_stop_before_the_next_unit_starts() {
        // The counter starts one unit every two steps: positions 1 1 2 2 3 3 ...
        let mut player = Player::new(Counter::new(10).with_unit_every(2), 0);
        let timeline = Timeline::record(&mut player, 100);
        assert_eq!(timeline.steps(), 10);
        assert_eq!(timeline.units(), 5);
        assert!(player.at_end());
        assert_eq!(
            timeline.click_steps(&[point(1), point(3), point(5)]),
            vec![0, 2, 6, 10]
        );
        assert_eq!(timeline.click_steps(&[point(0)]), vec![0, 0]);
    }

    #[test]
    fn a_limit_bounds_the_recording() {
        let mut player = Player::new(Counter::new(50), 0);
        assert_eq!(Timeline::record(&mut player, 7).steps(), 7);
    }
}
