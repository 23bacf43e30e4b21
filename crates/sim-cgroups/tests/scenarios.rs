//! The shipped cgroups scenarios load, finish, replay identically, and show
//! what their slides promise.

mod common;

use common::*;

#[test]
fn print_traces() {
    for (name, _) in shipped() {
        println!("== {name}");
        let t = run(shipped_player(&name));
        show(&t);
    }
}
