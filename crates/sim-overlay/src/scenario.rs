//! The overlay scenario file format and its validation.
//!
//! Contract: [`load`] either returns a config whose every name, path,
//! mode, option and Dockerfile line has been checked, or a [`ScenarioError`]
//! with the line and column of the offending value and what is allowed there.
//! Dockerfile errors point at the real line of the scenario file.
//!
//! The format is documented on [`load`].

use crate::build::{plan_build, Effect};
use crate::config::{Action, BaseImage, Build, Config};
use crate::dockerfile::{self, Keyword};
use crate::image::{BuildStep, Image};
use crate::layer::{
    check_path, check_xattr_name, is_within, Entry, Layer, Xattrs, DIR_MODE, FILE_MODE,
};
use crate::overlay::{Data, FileOp};
use crate::SIMULATOR;
use serde::Deserialize;
use sim_core::scenario::{parse, Header, ScenarioError, Spanned};
use sim_core::Source;
use sim_core::{SortedMap, SortedSet};
use std::ops::Range;
use std::sync::Arc;

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct ScenarioFile {
    scenario: Header,
    #[serde(default)]
    layer: Vec<LayerSpec>,
    #[serde(default)]
    base: Vec<BaseSpec>,
    #[serde(default)]
    image: Vec<ImageSpec>,
    #[serde(default)]
    action: Vec<ActionSpec>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct FileSpec {
    path: Spanned<String>,
    content: Option<String>,
    size: Option<u64>,
    mode: Option<Spanned<String>>,
    xattrs: Option<Spanned<SortedMap<String, String>>>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct LayerSpec {
    id: Spanned<String>,
    #[serde(default)]
    files: Vec<FileSpec>,
    #[serde(default)]
    dirs: Vec<Spanned<String>>,
    #[serde(default)]
    whiteouts: Vec<Spanned<String>>,
    #[serde(default)]
    opaque: Vec<Spanned<String>>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct BaseSpec {
    name: Spanned<String>,
    layers: Vec<Spanned<String>>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct ImageSpec {
    name: Spanned<String>,
    dockerfile: Spanned<String>,
    #[serde(default)]
    effect: Vec<EffectSpec>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct EffectSpec {
    instruction: Spanned<String>,
    #[serde(default)]
    files: Vec<FileSpec>,
    #[serde(default)]
    remove: Vec<Spanned<String>>,
}

#[derive(Deserialize, Clone, Copy, PartialEq, Eq, Debug)]
#[serde(rename_all = "kebab-case")]
enum Op {
    Pull,
    Build,
    Mount,
    Run,
    Cat,
    Ls,
    Write,
    Append,
    Chmod,
    Setxattr,
    Rm,
    Mkdir,
    Mv,
    Ln,
    Commit,
    DockerRm,
    Layout,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct ActionSpec {
    op: Spanned<Op>,
    on: Option<Spanned<String>>,
    path: Option<Spanned<String>>,
    to: Option<Spanned<String>>,
    content: Option<String>,
    size: Option<u64>,
    mode: Option<Spanned<String>>,
    xattr: Option<Spanned<String>>,
    value: Option<String>,
    image: Option<Spanned<String>>,
    container: Option<Spanned<String>>,
    target: Option<Spanned<String>>,
    options: Option<Spanned<String>>,
}

impl Op {
    /// The operation as written in a scenario.
    fn name(self) -> &'static str {
        match self {
            Op::Pull => "pull",
            Op::Build => "build",
            Op::Mount => "mount",
            Op::Run => "run",
            Op::Cat => "cat",
            Op::Ls => "ls",
            Op::Write => "write",
            Op::Append => "append",
            Op::Chmod => "chmod",
            Op::Setxattr => "setxattr",
            Op::Rm => "rm",
            Op::Mkdir => "mkdir",
            Op::Mv => "mv",
            Op::Ln => "ln",
            Op::Commit => "commit",
            Op::DockerRm => "docker-rm",
            Op::Layout => "layout",
        }
    }

    /// The fields each operation takes besides `op`.
    fn fields(self) -> &'static [&'static str] {
        match self {
            Op::Pull | Op::Build | Op::Layout => &["image"],
            Op::Mount => &["target", "options"],
            Op::Run | Op::Commit => &["image", "container"],
            Op::DockerRm => &["container"],
            Op::Cat | Op::Ls | Op::Rm | Op::Mkdir => &["on", "path"],
            Op::Write | Op::Append => &["on", "path", "content", "size"],
            Op::Chmod => &["on", "path", "mode"],
            Op::Setxattr => &["on", "path", "xattr", "value"],
            Op::Mv | Op::Ln => &["on", "path", "to"],
        }
    }
}

/// Checks and converts a scenario file; see the module docs for the format.
struct Loader<'a> {
    source: Source<'a>,
}

type Result<T> = std::result::Result<T, ScenarioError>;

impl Loader<'_> {
    fn path(&self, path: &Spanned<String>) -> Result<String> {
        check_path(path.get_ref()).map_err(|m| self.source.error(path.span(), m))?;
        Ok(path.get_ref().clone())
    }

    fn mode(&self, mode: &Spanned<String>) -> Result<u32> {
        u32::from_str_radix(mode.get_ref(), 8)
            .ok()
            .filter(|m| *m <= 0o7777)
            .ok_or_else(|| {
                self.source.error(
                    mode.span(),
                    format!(
                        "invalid mode `{}`: expected octal permission bits from 0000 to 7777, e.g. \"0644\"",
                        mode.get_ref()
                    ),
                )
            })
    }

    /// Checks an extended attribute name (see [`check_xattr_name`]).
    fn xattr_name(&self, name: &str, span: Range<usize>) -> Result<()> {
        check_xattr_name(name).map_err(|m| self.source.error(span, m))
    }

    fn xattrs(&self, spec: Option<&Spanned<SortedMap<String, String>>>) -> Result<Xattrs> {
        let Some(spec) = spec else {
            return Ok(Xattrs::new());
        };
        for name in spec.get_ref().keys() {
            self.xattr_name(name, spec.span())?;
        }
        Ok(spec.get_ref().clone())
    }

    fn file(&self, spec: &FileSpec) -> Result<(String, Entry)> {
        let path = self.path(&spec.path)?;
        let mode = match &spec.mode {
            Some(m) => self.mode(m)?,
            None => FILE_MODE,
        };
        let entry = match (&spec.content, spec.size) {
            (None, None) => {
                return Err(self.source.error(
                    spec.path.span(),
                    format!("file `{path}` needs `content` (text) or `size` (bytes), or both"),
                ))
            }
            (content, size) => {
                let content = content.clone().unwrap_or_default();
                Entry::File {
                    mode,
                    size: size.unwrap_or(content.len() as u64),
                    content,
                    xattrs: self.xattrs(spec.xattrs.as_ref())?,
                }
            }
        };
        Ok((path, entry))
    }

    fn layer(&self, spec: &LayerSpec) -> Result<Layer> {
        let mut entries = SortedMap::new();
        for w in &spec.whiteouts {
            entries.insert(self.path(w)?, Entry::Whiteout);
        }
        for d in &spec.dirs {
            entries.insert(self.path(d)?, Entry::dir(DIR_MODE));
        }
        for d in &spec.opaque {
            entries.insert(
                self.path(d)?,
                Entry::Dir {
                    mode: DIR_MODE,
                    opaque: true,
                    redirect: None,
                    xattrs: Xattrs::new(),
                },
            );
        }
        for f in &spec.files {
            let (path, entry) = self.file(f)?;
            entries.insert(path, entry);
        }
        Ok(Layer::new(
            spec.id.get_ref().clone(),
            own_layer_whiteouts(entries),
        ))
    }

    fn effect(&self, spec: &EffectSpec) -> Result<Effect> {
        let mut effect = Effect::default();
        for f in &spec.files {
            let (path, entry) = self.file(f)?;
            effect.files.insert(path, entry);
        }
        for r in &spec.remove {
            effect.remove.push(self.path(r)?);
        }
        Ok(effect)
    }

    /// The byte offset in the file of `line`/`column` of a Dockerfile held
    /// in the TOML string at `span` (exact for literal `'''` strings).
    fn dockerfile_offset(&self, span: &Range<usize>, line: usize, column: usize) -> usize {
        let raw = self.source.text.get(span.start..span.end).unwrap_or("");
        let delimiter = if raw.starts_with("'''") || raw.starts_with("\"\"\"") {
            3
        } else {
            1
        };
        let mut offset = span.start + delimiter;
        let rest = self.source.text.get(offset..).unwrap_or("");
        if delimiter == 3 {
            if rest.starts_with("\r\n") {
                offset += 2;
            } else if rest.starts_with('\n') {
                offset += 1;
            }
        }
        let body = self.source.text.get(offset..).unwrap_or("");
        let mut line_start = offset;
        for (i, l) in body.split_inclusive('\n').enumerate() {
            if i + 1 == line {
                break;
            }
            line_start += l.len();
        }
        let within = self.source.text.get(line_start..).unwrap_or("");
        line_start
            + within
                .char_indices()
                .nth(column.saturating_sub(1))
                .map_or(0, |(i, _)| i)
    }

    fn build(
        &self,
        spec: &ImageSpec,
        bases: &SortedMap<String, Image>,
    ) -> Result<(String, Vec<BuildStep>)> {
        let span = spec.dockerfile.span();
        let at_line = |line: usize, column: usize, message: String| {
            let offset = self.dockerfile_offset(&span, line, column);
            self.source
                .error(offset..offset, format!("Dockerfile: {message}"))
        };
        let parsed = dockerfile::parse(spec.dockerfile.get_ref())
            .map_err(|e| at_line(e.line, e.column, e.message))?;
        let from = parsed
            .instructions
            .iter()
            .find(|i| i.keyword == Keyword::From);
        let base_name = from
            .and_then(|f| f.words().into_iter().find(|w| !w.starts_with("--")))
            .unwrap_or_default();
        let Some(base) = bases.get(&base_name) else {
            let (line, column) = from.map_or((1, 1), |f| (f.line, f.column));
            return Err(at_line(
                line,
                column,
                format!(
                    "FROM names `{base_name}`, which no [[base]] defines: expected one of [{}]",
                    names(bases.keys())
                ),
            ));
        };
        let texts: Vec<String> = parsed.instructions.iter().map(|i| i.text()).collect();
        let mut effects = SortedMap::new();
        let mut effect_spans = SortedMap::new();
        for e in &spec.effect {
            let wanted = normalize(e.instruction.get_ref());
            let index = texts
                .iter()
                .enumerate()
                .position(|(i, t)| *t == wanted && !effects.contains_key(&i))
                .ok_or_else(|| {
                    self.source.error(
                        e.instruction.span(),
                        format!(
                            "no instruction `{wanted}` (left) in the Dockerfile of `{}`: expected one of [{}]",
                            spec.name.get_ref(),
                            names(texts.iter())
                        ),
                    )
                })?;
            effects.insert(index, self.effect(e)?);
            effect_spans.insert(index, e.instruction.span());
        }
        let steps =
            plan_build(spec.name.get_ref(), &parsed, base, &effects).map_err(
                |e| match effect_spans.get(&e.instruction) {
                    Some(span) => self.source.error(span.clone(), e.message),
                    None => {
                        let (line, column) = parsed
                            .instructions
                            .get(e.instruction)
                            .map_or((1, 1), |i| (i.line, i.column));
                        at_line(line, column, e.message)
                    }
                },
            )?;
        Ok((base_name, steps))
    }
}

/// In one layer, a whiteout never hides that layer's own entries: a whiteout
/// path that also has entries below it becomes an opaque directory.
fn own_layer_whiteouts(mut entries: SortedMap<String, Entry>) -> SortedMap<String, Entry> {
    let whiteouts: Vec<String> = entries
        .iter()
        .filter(|(_, e)| **e == Entry::Whiteout)
        .map(|(p, _)| p.clone())
        .collect();
    for w in whiteouts {
        if entries.keys().any(|k| k != &w && is_within(k, &w)) {
            entries.insert(
                w,
                Entry::Dir {
                    mode: DIR_MODE,
                    opaque: true,
                    redirect: None,
                    xattrs: Xattrs::new(),
                },
            );
        }
    }
    entries
}

fn normalize(instruction: &str) -> String {
    let mut words = instruction.split_whitespace();
    let keyword = words.next().unwrap_or("").to_ascii_uppercase();
    std::iter::once(keyword.as_str())
        .chain(words)
        .collect::<Vec<_>>()
        .join(" ")
}

fn names<'a>(it: impl Iterator<Item = &'a String>) -> String {
    it.map(|s| format!("`{s}`")).collect::<Vec<_>>().join(", ")
}

/// What exists at a point of the script, to check names against.
#[derive(Default)]
struct Known {
    images: SortedSet<String>,
    mounts: SortedSet<String>,
    containers: SortedSet<String>,
}

/// Parses and validates an overlay scenario file (`overlay-*.toml`).
///
/// The file holds, after the `[scenario]` header (`simulator = "overlay"`):
///
/// - `[[layer]]`: a named read-only layer. `id`; `files = [{ path, content?,
///   size?, mode?, xattrs? }]` (a file needs `content` text, `size` bytes, or
///   both; `mode` is octal like `"0644"`; `xattrs` is a table of extended
///   attributes, e.g. `xattrs = { "user.origin" = "base" }`, each name with a
///   `user.`, `trusted.`, `security.` or `system.` namespace and none of
///   overlayfs' own `trusted.overlay.*`); `dirs`, `whiteouts` and `opaque` (lists of
///   paths). Parent directories are implicit. A whiteout never hides the
///   layer's own files: a whiteout path with files below it becomes opaque.
/// - `[[base]]`: a base image: `name`, `layers` (layer ids, bottom first).
/// - `[[image]]`: an image to build: `name`, `dockerfile` (write it as a
///   literal `'''...'''` string so errors point at the exact line), and
///   `[[image.effect]]` tables saying what a RUN, COPY, ADD or WORKDIR wrote:
///   `instruction` (its text, e.g. `"RUN make /app"`), `files`, `remove`.
/// - `[[action]]`: the script, in order, each with an `op` and its fields:
///
/// | op | fields | what it does |
/// | --- | --- | --- |
/// | `pull` | `image` (a base) | stores the image's layers, sharing stored ones |
/// | `build` | `image` (an `[[image]]`) | runs the Dockerfile, one instruction per step |
/// | `mount` | `target`, `options` | `mount -t overlay -o lowerdir=l2:l1,upperdir=/u,workdir=/w,redirect_dir=on` at `target` (lowerdir names layer ids, top first) |
/// | `run` | `image`, `container` | a container: the image's layers as lowers, its own upper |
/// | `cat`, `ls`, `rm`, `mkdir` | `on`, `path` | read, list, `rm -r`, `mkdir` in a mount or container |
/// | `write`, `append` | `on`, `path`, `content` and/or `size` | `>` and `>>` |
/// | `chmod` | `on`, `path`, `mode` | change permission bits |
/// | `setxattr` | `on`, `path`, `xattr`, `value` | `setfattr -n xattr -v value`: set one extended attribute |
/// | `mv`, `ln` | `on`, `path`, `to` | rename, hard link |
/// | `commit` | `container`, `image` | the container's upper becomes a new image's top layer |
/// | `docker-rm` | `container` | removes the container and only its upper |
/// | `layout` | `image` | shows each layer's overlay2 directory |
///
/// `on` is a mount target (`/merged`) or a container name (`web-1`). Every
/// error names the line and column and what was allowed there.
pub fn load(file: &str, src: &str) -> Result<(Header, Config)> {
    sim_core::scenario::read_header_for(file, src, SIMULATOR)?;
    let parsed: ScenarioFile = parse(file, src)?;
    let l = Loader {
        source: Source::new(file, src),
    };
    let header = parsed.scenario.clone();
    let mut layers = SortedMap::new();
    for spec in &parsed.layer {
        if layers.contains_key(spec.id.get_ref()) {
            return Err(l.source.error(
                spec.id.span(),
                format!("layer id `{}` is defined twice", spec.id.get_ref()),
            ));
        }
        layers.insert(spec.id.get_ref().clone(), Arc::new(l.layer(spec)?));
    }
    let mut bases = SortedMap::new();
    let mut base_images = Vec::new();
    for spec in &parsed.base {
        let mut stack = Vec::new();
        for id in &spec.layers {
            let layer = layers.get(id.get_ref()).ok_or_else(|| {
                l.source.error(
                    id.span(),
                    format!(
                        "unknown layer `{}`: expected one of [{}]",
                        id.get_ref(),
                        names(layers.keys())
                    ),
                )
            })?;
            stack.push(layer.clone());
        }
        if stack.is_empty() {
            return Err(l.source.error(
                spec.name.span(),
                "a base image needs at least one layer in `layers`",
            ));
        }
        bases.insert(
            spec.name.get_ref().clone(),
            Image::new(spec.name.get_ref().clone(), stack),
        );
        base_images.push(BaseImage {
            name: spec.name.get_ref().clone(),
            layers: spec.layers.iter().map(|id| id.get_ref().clone()).collect(),
        });
    }
    let mut builds = SortedMap::new();
    for spec in &parsed.image {
        if bases.contains_key(spec.name.get_ref()) || builds.contains_key(spec.name.get_ref()) {
            return Err(l.source.error(
                spec.name.span(),
                format!("image name `{}` is defined twice", spec.name.get_ref()),
            ));
        }
        builds.insert(spec.name.get_ref().clone(), l.build(spec, &bases)?);
    }
    let mut known = Known::default();
    let mut script = Vec::new();
    for action in &parsed.action {
        script.push(l.action(action, &layers, &bases, &builds, &mut known)?);
    }
    let config = Config {
        layers: layers.values().map(|l| (**l).clone()).collect(),
        bases: base_images,
        builds: builds
            .into_iter()
            .map(|(image, (base, steps))| Build { image, base, steps })
            .collect(),
        script,
    };
    Ok((header, config))
}

/// Gives a field-requiring closure its signature: the returned value
/// borrows from the field, not from the closure.
fn required<F>(f: F) -> F
where
    F: for<'s> Fn(&'s Option<Spanned<String>>, &str) -> Result<&'s Spanned<String>>,
{
    f
}

impl Loader<'_> {
    fn action(
        &self,
        a: &ActionSpec,
        layers: &SortedMap<String, Arc<Layer>>,
        bases: &SortedMap<String, Image>,
        builds: &SortedMap<String, (String, Vec<BuildStep>)>,
        known: &mut Known,
    ) -> Result<Action> {
        let op = *a.op.get_ref();
        let op_span = a.op.span();
        let present = [
            ("on", a.on.is_some()),
            ("path", a.path.is_some()),
            ("to", a.to.is_some()),
            ("content", a.content.is_some()),
            ("size", a.size.is_some()),
            ("mode", a.mode.is_some()),
            ("xattr", a.xattr.is_some()),
            ("value", a.value.is_some()),
            ("image", a.image.is_some()),
            ("container", a.container.is_some()),
            ("target", a.target.is_some()),
            ("options", a.options.is_some()),
        ];
        let allowed = op.fields();
        if let Some((field, _)) = present.iter().find(|(f, p)| *p && !allowed.contains(f)) {
            return Err(self.source.error(
                op_span,
                format!(
                    "field `{field}` is not used by op `{}`: it takes {}",
                    op.name(),
                    allowed.join(", ")
                ),
            ));
        }
        let need = required(|field, name| {
            field.as_ref().ok_or_else(|| {
                self.source.error(
                    op_span.clone(),
                    format!("this op needs `{name}` (it takes {})", allowed.join(", ")),
                )
            })
        });
        let image_among = |set: &SortedSet<String>, what: &str| -> Result<String> {
            let image = need(&a.image, "image")?;
            if set.contains(image.get_ref()) {
                Ok(image.get_ref().clone())
            } else {
                Err(self.source.error(
                    image.span(),
                    format!(
                        "unknown image `{}`: expected {what}: one of [{}]",
                        image.get_ref(),
                        names(set.iter())
                    ),
                ))
            }
        };
        let on = |known: &Known| -> Result<String> {
            let on = need(&a.on, "on")?;
            if known.mounts.contains(on.get_ref()) || known.containers.contains(on.get_ref()) {
                Ok(on.get_ref().clone())
            } else {
                let all: Vec<&String> = known.mounts.iter().chain(&known.containers).collect();
                Err(self.source.error(
                    on.span(),
                    format!(
                        "`on` = `{}` is not mounted: expected a mount target or a running container: one of [{}]",
                        on.get_ref(),
                        names(all.into_iter())
                    ),
                ))
            }
        };
        let path = |allow_root: bool| -> Result<String> {
            let p = need(&a.path, "path")?;
            if allow_root && p.get_ref() == "/" {
                return Ok("/".to_string());
            }
            self.path(p)
        };
        let data = || -> Result<Data> {
            match (&a.content, a.size) {
                (None, None) => Err(self.source.error(
                    op_span.clone(),
                    "this op needs `content` (text) or `size` (bytes)",
                )),
                (content, size) => {
                    let text = content.clone().unwrap_or_default();
                    Ok(Data {
                        size: size.unwrap_or(text.len() as u64),
                        text,
                    })
                }
            }
        };
        Ok(match op {
            Op::Pull => {
                let set: SortedSet<String> = bases.keys().cloned().collect();
                let image = image_among(&set, "a [[base]] image")?;
                known.images.insert(image.clone());
                Action::Pull(image)
            }
            Op::Build => {
                let set: SortedSet<String> = builds.keys().cloned().collect();
                let image = image_among(&set, "an [[image]] with a Dockerfile")?;
                if let Some((base, _)) = builds.get(&image) {
                    known.images.insert(base.clone());
                }
                known.images.insert(image.clone());
                Action::Build(image)
            }
            Op::Layout => Action::Layout(image_among(
                &known.images,
                "an image pulled, built or committed earlier",
            )?),
            Op::Mount => {
                let target = need(&a.target, "target")?;
                let t = self.path(target)?;
                if known.mounts.contains(&t) {
                    return Err(self
                        .source
                        .error(target.span(), format!("`{t}` is already mounted")));
                }
                let options = need(&a.options, "options")?;
                let (lowers, writable, redirect_dir) = self.mount_options(options, layers)?;
                known.mounts.insert(t.clone());
                Action::Mount {
                    target: t,
                    lowers,
                    writable,
                    redirect_dir,
                    options: options.get_ref().clone(),
                }
            }
            Op::Run => {
                let image =
                    image_among(&known.images, "an image pulled, built or committed earlier")?;
                let container = need(&a.container, "container")?;
                let name = container.get_ref();
                let valid = name
                    .chars()
                    .next()
                    .is_some_and(|c| c.is_ascii_alphanumeric())
                    && name
                        .chars()
                        .all(|c| c.is_ascii_alphanumeric() || "_.-".contains(c));
                if !valid {
                    return Err(self.source.error(
                        container.span(),
                        format!(
                            "invalid container name `{name}`: expected [a-zA-Z0-9][a-zA-Z0-9_.-]*"
                        ),
                    ));
                }
                if !known.containers.insert(name.clone()) {
                    return Err(self.source.error(
                        container.span(),
                        format!("container `{name}` already exists"),
                    ));
                }
                Action::Run {
                    image,
                    container: name.clone(),
                }
            }
            Op::Commit | Op::DockerRm => {
                let container = need(&a.container, "container")?;
                let name = container.get_ref().clone();
                if !known.containers.contains(&name) {
                    return Err(self.source.error(
                        container.span(),
                        format!(
                            "unknown container `{name}`: expected one of [{}]",
                            names(known.containers.iter())
                        ),
                    ));
                }
                if op == Op::DockerRm {
                    known.containers.remove(&name);
                    Action::DockerRm(name)
                } else {
                    let image = need(&a.image, "image")?;
                    if !known.images.insert(image.get_ref().clone()) {
                        return Err(self.source.error(
                            image.span(),
                            format!("image `{}` already exists", image.get_ref()),
                        ));
                    }
                    Action::Commit {
                        container: name,
                        image: image.get_ref().clone(),
                    }
                }
            }
            Op::Cat => Action::File {
                on: on(known)?,
                op: FileOp::Read(path(false)?),
            },
            Op::Ls => Action::File {
                on: on(known)?,
                op: FileOp::List(path(true)?),
            },
            Op::Rm => Action::File {
                on: on(known)?,
                op: FileOp::Delete(path(false)?),
            },
            Op::Mkdir => Action::File {
                on: on(known)?,
                op: FileOp::Mkdir(path(false)?),
            },
            Op::Write => Action::File {
                on: on(known)?,
                op: FileOp::Write(path(false)?, data()?),
            },
            Op::Append => Action::File {
                on: on(known)?,
                op: FileOp::Append(path(false)?, data()?),
            },
            Op::Chmod => {
                let mode = self.mode(need(&a.mode, "mode")?)?;
                Action::File {
                    on: on(known)?,
                    op: FileOp::Chmod(path(false)?, mode),
                }
            }
            Op::Setxattr => {
                let name = need(&a.xattr, "xattr")?;
                self.xattr_name(name.get_ref(), name.span())?;
                let value = a.value.clone().ok_or_else(|| {
                    self.source.error(
                        op_span.clone(),
                        format!("this op needs `value` (it takes {})", allowed.join(", ")),
                    )
                })?;
                Action::File {
                    on: on(known)?,
                    op: FileOp::SetXattr {
                        path: path(false)?,
                        name: name.get_ref().clone(),
                        value,
                    },
                }
            }
            Op::Mv | Op::Ln => {
                let from = path(false)?;
                let to = self.path(need(&a.to, "to")?)?;
                let op = if op == Op::Mv {
                    FileOp::Rename(from, to)
                } else {
                    FileOp::Link(from, to)
                };
                Action::File { on: on(known)?, op }
            }
        })
    }

    /// Parses `lowerdir=a:b,upperdir=/u,workdir=/w,redirect_dir=on`.
    fn mount_options(
        &self,
        options: &Spanned<String>,
        layers: &SortedMap<String, Arc<Layer>>,
    ) -> Result<(Vec<String>, bool, bool)> {
        let fail = |m: String| Err(self.source.error(options.span(), m));
        let mut lowers = Vec::new();
        let (mut upper, mut work, mut redirect_dir) = (false, false, false);
        for option in options.get_ref().split(',').filter(|o| !o.is_empty()) {
            let (key, value) = option.split_once('=').unwrap_or((option, ""));
            match key {
                "lowerdir" => {
                    for id in value.split(':') {
                        if !layers.contains_key(id) {
                            return fail(format!(
                                "lowerdir names `{id}`, which is not a [[layer]] id: expected one of [{}]",
                                names(layers.keys())
                            ));
                        }
                        lowers.push(id.to_string());
                    }
                }
                "upperdir" if !value.is_empty() => upper = true,
                "workdir" if !value.is_empty() => work = true,
                "redirect_dir" => {
                    redirect_dir = match value {
                        "on" => true,
                        "off" => false,
                        other => {
                            return fail(format!("redirect_dir=`{other}`: expected `on` or `off`"))
                        }
                    }
                }
                other => {
                    return fail(format!(
                        "unknown mount option `{other}`: expected lowerdir=<ids>, upperdir=<dir>, workdir=<dir>, redirect_dir=on|off"
                    ))
                }
            }
        }
        if lowers.is_empty() {
            return fail("overlay needs `lowerdir=` with at least one layer".to_string());
        }
        if upper != work {
            return fail(
                "upperdir and workdir go together: give both (read-write) or neither (read-only)"
                    .to_string(),
            );
        }
        Ok((lowers, upper, redirect_dir))
    }
}
