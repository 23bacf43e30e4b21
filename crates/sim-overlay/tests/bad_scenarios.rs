//! Bad scenario files give located errors naming the field and what is allowed.

use sim_core::testing::assert_error_at;
use sim_overlay::load;

const HEAD: &str = "[scenario]\ntitle = \"t\"\nsimulator = \"overlay\"\n";

const LAYERS: &str = "[[layer]]\nid = \"l1\"\nfiles = [{ path = \"/etc/a\", content = \"v1\" }]\n";

const BASE: &str = "[[layer]]\nid = \"root\"\nfiles = [{ path = \"/bin/sh\", size = 10 }]\n[[base]]\nname = \"ubuntu\"\nlayers = [\"root\"]\n";

/// Asserts `body` (after the header) fails at `line` (of the whole file),
/// optionally `column`, with a message containing every fragment.
fn fails(body: &str, line: usize, column: Option<usize>, fragments: &[&str]) {
    let src = format!("{HEAD}{body}");
    let err = assert_error_at(load("bad.toml", &src), line, fragments);
    if let Some(column) = column {
        assert_eq!(err.column, column, "{err}");
    }
    assert!(err.to_string().starts_with(&format!("bad.toml:{line}:")));
}

#[test]
fn unknown_dockerfile_instruction_points_at_the_real_file_line() {
    let body = format!(
        "{BASE}[[image]]\nname = \"app\"\ndockerfile = '''\n# syntax=docker/dockerfile:1\nFROM ubuntu\n  RUNN make\n'''\n"
    );
    // Header lines 1-3, BASE 4-9, [[image]] 10, dockerfile = ''' 12: RUNN is on line 15.
    fails(
        &body,
        15,
        Some(3),
        &[
            "Dockerfile",
            "unknown instruction `RUNN`",
            "expected one of FROM, LABEL, COPY",
        ],
    );
}

#[test]
fn dockerfile_on_the_opening_line_keeps_its_column() {
    let body = format!("{BASE}[[image]]\nname = \"app\"\ndockerfile = 'FROM ubuntu extra words'\n");
    fails(&body, 12, Some(15), &["FROM takes `image[:tag] [AS name]`"]);
}

#[test]
fn from_an_undefined_base_image() {
    let body = format!("{BASE}[[image]]\nname = \"app\"\ndockerfile = '''\nFROM debian\n'''\n");
    fails(&body, 13, Some(1), &["FROM names `debian`", "`ubuntu`"]);
}

#[test]
fn negative_size() {
    fails(
        "[[layer]]\nid = \"l\"\nfiles = [{ path = \"/a\", size = -5 }]\n",
        6,
        None,
        &["-5"],
    );
}

#[test]
fn unknown_operation_lists_the_allowed_ones() {
    fails(
        "[[action]]\nop = \"frobnicate\"\n",
        5,
        Some(6),
        &[
            "unknown variant `frobnicate`",
            "`mount`",
            "`docker-rm`",
            "`layout`",
        ],
    );
}

#[test]
fn wrong_simulator() {
    let src = "[scenario]\ntitle = \"t\"\nsimulator = \"cgroups\"\n";
    let err = load("bad.toml", src).err().unwrap();
    assert_eq!((err.line, err.column), (3, 13), "{err}");
    assert!(
        err.message.contains("expected `simulator = \"overlay\"`"),
        "{err}"
    );
}

#[test]
fn unknown_field_in_a_layer() {
    fails(
        "[[layer]]\nid = \"l\"\ncolour = \"red\"\n",
        6,
        None,
        &["unknown field `colour`", "`files`", "`whiteouts`"],
    );
}

#[test]
fn bad_mode_and_relative_path() {
    fails(
        "[[layer]]\nid = \"l\"\nfiles = [{ path = \"/a\", content = \"x\", mode = \"0999\" }]\n",
        6,
        None,
        &["invalid mode `0999`", "octal"],
    );
    fails(
        "[[layer]]\nid = \"l\"\nfiles = [{ path = \"etc/a\", content = \"x\" }]\n",
        6,
        None,
        &["must be absolute"],
    );
    fails(
        "[[layer]]\nid = \"l\"\nfiles = [{ path = \"/etc/a\" }]\n",
        6,
        None,
        &["needs `content`", "`size`"],
    );
}

#[test]
fn mount_options_are_checked() {
    fails(
        &format!(
            "{LAYERS}[[action]]\nop = \"mount\"\ntarget = \"/m\"\noptions = \"lowerdir=l9\"\n"
        ),
        10,
        None,
        &["lowerdir names `l9`", "`l1`"],
    );
    fails(
        &format!("{LAYERS}[[action]]\nop = \"mount\"\ntarget = \"/m\"\noptions = \"lowerdir=l1,upperdir=/u\"\n"),
        10,
        None,
        &["upperdir and workdir go together"],
    );
    fails(
        &format!("{LAYERS}[[action]]\nop = \"mount\"\ntarget = \"/m\"\noptions = \"lowerdir=l1,metacopy=on\"\n"),
        10,
        None,
        &["unknown mount option `metacopy`", "redirect_dir"],
    );
}

#[test]
fn actions_name_existing_things_and_only_their_fields() {
    fails(
        &format!("{LAYERS}[[action]]\nop = \"cat\"\non = \"/m\"\npath = \"/etc/a\"\n"),
        9,
        Some(6),
        &["`on` = `/m` is not mounted"],
    );
    fails(
        &format!("{LAYERS}[[action]]\nop = \"mount\"\ntarget = \"/m\"\noptions = \"lowerdir=l1\"\n[[action]]\nop = \"cat\"\non = \"/m\"\n"),
        12,
        None,
        &["needs `path`", "on, path"],
    );
    fails(
        "[[action]]\nop = \"ls\"\non = \"/m\"\npath = \"/\"\nto = \"/x\"\n",
        5,
        None,
        &["field `to` is not used by op `ls`", "on, path"],
    );
    fails(
        "[[action]]\nop = \"docker-rm\"\ncontainer = \"web\"\n",
        6,
        None,
        &["unknown container `web`"],
    );
    fails(
        &format!("{BASE}[[action]]\nop = \"run\"\nimage = \"ubuntu\"\ncontainer = \"c\"\n"),
        12,
        None,
        &[
            "unknown image `ubuntu`",
            "pulled, built or committed earlier",
        ],
    );
}

#[test]
fn build_effects_must_match_layer_instructions() {
    let image =
        "[[image]]\nname = \"app\"\ndockerfile = '''\nFROM ubuntu\nLABEL a=b\nRUN make\n'''\n";
    fails(
        &format!("{BASE}{image}[[image.effect]]\ninstruction = \"RUN make all\"\n"),
        18,
        None,
        &["no instruction `RUN make all`", "`RUN make`"],
    );
    fails(
        &format!("{BASE}{image}[[image.effect]]\ninstruction = \"LABEL a=b\"\nfiles = [{{ path = \"/x\", size = 1 }}]\n"),
        18,
        None,
        &["changes only metadata"],
    );
    fails(
        &format!("{BASE}{image}[[image.effect]]\ninstruction = \"run make\"\nremove = [\"/root/.cache\"]\n"),
        18,
        None,
        &["removes /root/.cache, which the image below does not have"],
    );
}

#[test]
fn xattr_names_need_a_namespace_and_not_overlayfs_own() {
    fails(
        "[[layer]]\nid = \"l1\"\nfiles = [{ path = \"/a\", content = \"x\", xattrs = { origin = \"base\" } }]\n",
        6,
        None,
        &["xattr name `origin`", "user.<name>"],
    );
    fails(
        &format!("{LAYERS}[[action]]\nop = \"mount\"\ntarget = \"/m\"\noptions = \"lowerdir=l1,upperdir=/u,workdir=/w\"\n[[action]]\nop = \"setxattr\"\non = \"/m\"\npath = \"/etc/a\"\nxattr = \"trusted.overlay.opaque\"\nvalue = \"y\"\n"),
        15,
        None,
        &["overlayfs' own"],
    );
}
