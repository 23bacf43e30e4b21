//! A what-if given after playing a run to its end (as a presenter does) has the
//! same future as one given after seeking there, and replays exactly.
mod common;
use common::{input_scenario, shipped, STEP_LIMIT};
use sim_logs::cri::Stream;
use sim_logs::LogsInput;

#[test]
fn an_input_at_the_end_of_a_finished_run_replays_exactly() {
    let mut files = shipped();
    files.push(input_scenario());
    let mut failures = Vec::new();
    for file in &files {
        let pod = format!(
            "{}/{}",
            file.config.pods[0].namespace, file.config.pods[0].name
        );
        let container = file.config.pods[0].containers[0].name.clone();
        let inputs = [
            LogsInput::Write {
                pod: pod.clone(),
                container: container.clone(),
                stream: Stream::Stdout,
                text: "late".into(),
            },
            LogsInput::SetRotation {
                max_size: 1,
                max_files: 2,
            },
        ];
        for input in inputs {
            // As a presenter does it: play to the end, then give the input.
            let mut live = file.player();
            assert!(live.run_to_end(STEP_LIMIT));
            let end = live.position();
            live.input(input.clone()).unwrap();
            assert!(live.run_to_end(STEP_LIMIT));
            let given = live.to_trace().to_json();
            // The same input replayed: seek back and forth.
            live.seek(0);
            live.seek(usize::MAX);
            let replayed = live.to_trace().to_json();
            // And a fresh run that reaches the end by seeking.
            let mut fresh = file.player();
            fresh.seek(end);
            fresh.input(input.clone()).unwrap();
            assert!(fresh.run_to_end(STEP_LIMIT));
            let seeked = fresh.to_trace().to_json();
            if given != replayed || given != seeked {
                failures.push(format!(
                    "{} {input:?}: live {} steps, replayed {} steps, seeked {} steps",
                    file.name,
                    given.matches("\"step\":").count(),
                    replayed.matches("\"step\":").count(),
                    seeked.matches("\"step\":").count()
                ));
            }
        }
    }
    assert!(failures.is_empty(), "{failures:#?}");
}
