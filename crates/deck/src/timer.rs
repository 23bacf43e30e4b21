//! The presenter's clocks: a stopwatch and a countdown, over times in
//! milliseconds that the caller reads from its own clock.

/// A stopwatch: started, paused and reset by the presenter.
#[derive(Debug, Clone, Copy, PartialEq, Default)]
pub struct Stopwatch {
    /// When it was last started, while it runs.
    since: Option<f64>,
    /// Time run before that.
    banked: f64,
}

impl Stopwatch {
    /// Whether it runs.
    pub fn running(&self) -> bool {
        self.since.is_some()
    }

    /// Starts it at `now`, or pauses it there.
    pub fn toggle(&mut self, now: f64) {
        match self.since.take() {
            Some(since) => self.banked += (now - since).max(0.0),
            None => self.since = Some(now),
        }
    }

    /// Back to zero, stopped.
    pub fn reset(&mut self) {
        *self = Stopwatch::default();
    }

    /// Milliseconds run by `now`.
    pub fn elapsed(&self, now: f64) -> f64 {
        self.banked + self.since.map_or(0.0, |since| (now - since).max(0.0))
    }
}

/// A countdown of a set number of minutes, run by a [`Stopwatch`].
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Countdown {
    /// The minutes it counts down from.
    pub minutes: u32,
    /// Its running time.
    pub watch: Stopwatch,
}

impl Countdown {
    /// A countdown of `minutes`, stopped.
    pub fn new(minutes: u32) -> Countdown {
        Countdown {
            minutes,
            watch: Stopwatch::default(),
        }
    }

    /// Milliseconds left at `now`: negative once over time.
    pub fn remaining(&self, now: f64) -> f64 {
        f64::from(self.minutes) * 60_000.0 - self.watch.elapsed(now)
    }
}

/// A duration as `mm:ss` (`h:mm:ss` from an hour), whole seconds; a
/// negative one (over time) with a leading minus.
pub fn format_duration(ms: f64) -> String {
    let sign = if ms <= -1000.0 { "-" } else { "" };
    let seconds = if ms.is_finite() {
        (ms.abs() / 1000.0).floor() as u64
    } else {
        0
    };
    let (h, m, s) = (seconds / 3600, seconds / 60 % 60, seconds % 60);
    if h > 0 {
        format!("{sign}{h}:{m:02}:{s:02}")
    } else {
        format!("{sign}{m:02}:{s:02}")
    }
}

/// A wall-clock time of day as `hh:mm:ss`.
pub fn format_time_of_day(hours: u32, minutes: u32, seconds: u32) -> String {
    format!("{hours:02}:{minutes:02}:{seconds:02}")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_stopwatch_counts_only_while_it_runs() {
        let mut watch = Stopwatch::default();
        assert_eq!(watch.elapsed(5000.0), 0.0);
        watch.toggle(1000.0);
        assert!(watch.running());
        assert_eq!(watch.elapsed(3500.0), 2500.0);
        watch.toggle(4000.0);
        assert!(!watch.running());
        assert_eq!(watch.elapsed(90_000.0), 3000.0, "paused");
        watch.toggle(10_000.0);
        assert_eq!(watch.elapsed(11_000.0), 4000.0);
        assert_eq!(
            watch.elapsed(9_000.0),
            3000.0,
            "a clock going back adds nothing"
        );
        watch.reset();
        assert_eq!((watch.running(), watch.elapsed(20_000.0)), (false, 0.0));
    }

    #[test]
    fn a_countdown_goes_below_zero_when_over_time() {
        let mut countdown = Countdown::new(1);
        assert_eq!(format_duration(countdown.remaining(0.0)), "01:00");
        countdown.watch.toggle(0.0);
        assert_eq!(format_duration(countdown.remaining(15_500.0)), "00:44");
        assert_eq!(format_duration(countdown.remaining(60_400.0)), "00:00");
        assert_eq!(format_duration(countdown.remaining(72_000.0)), "-00:12");
    }

    #[test]
    fn durations_and_times_read_as_clocks() {
        assert_eq!(format_duration(0.0), "00:00");
        assert_eq!(format_duration(59_999.0), "00:59");
        assert_eq!(format_duration(61_000.0), "01:01");
        assert_eq!(format_duration(3_723_000.0), "1:02:03");
        assert_eq!(format_duration(f64::NAN), "00:00");
        assert_eq!(format_time_of_day(9, 5, 7), "09:05:07");
    }
}
