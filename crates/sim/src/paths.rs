//! Naming scenario files.

/// The file's name without its directories, e.g. `a.toml` for `dir/a.toml`,
/// as the digest file and the compiled table record it.
pub fn file_name(path: &str) -> &str {
    path.rsplit(['/', '\\']).next().unwrap_or(path)
}

#[cfg(test)]
mod tests {
    #[test]
    fn directories_go_on_either_separator() {
        assert_eq!(super::file_name("slides/scenarios/a.toml"), "a.toml");
        assert_eq!(super::file_name("c:\\x\\b.toml"), "b.toml");
        assert_eq!(super::file_name("c.toml"), "c.toml");
    }
}
