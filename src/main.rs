//! The site's entry point (built by Trunk).

fn main() {
    simdeck::start();
}
