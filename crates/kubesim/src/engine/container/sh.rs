//! A small deterministic `sh`: lists of simple commands joined by `;`, `&&`, `||` and
//! newlines; words with `'…'`, `"…"`, `\`, `$VAR`, `${VAR}`, `$?` and `$(…)`; redirections
//! `>`, `>>`, `2>`, `2>&1`. No pipes, loops or functions: those print a clear error. Errors are
//! in busybox/dash words (`sh: foo: not found`, `cat: /x: No such file or directory`).
//!
//! Bounded: at most [`MAX_COMMANDS`] simple commands per exec and [`MAX_DEPTH`] nested
//! `$(…)`/`sh -c`; the text is only ever scanned forwards, so no input can loop.

use super::apps;
use super::{date, environment, ExecOutput, Target, View};
use crate::engine::pod_fs::FsError;
use crate::engine::Cluster;

/// Simple commands one exec may run.
pub const MAX_COMMANDS: usize = 1_000;
/// Nesting of `$(…)` and `sh -c`.
pub const MAX_DEPTH: usize = 8;

pub struct Shell<'a> {
    pub(super) view: View<'a>,
    env: Vec<(String, String)>,
    status: i32,
    commands: usize,
    depth: usize,
    cwd: String,
    exited: bool,
}

/// Programs the shell model knows (in every image unless [`apps::has_program`] says not).
pub const PROGRAMS: &[&str] = &[
    "sh",
    "bash",
    "/bin/sh",
    "/bin/bash",
    "exit",
    "true",
    ":",
    "false",
    "sleep",
    "hostname",
    "whoami",
    "pwd",
    "cd",
    "date",
    "echo",
    "env",
    "printenv",
    "export",
    "cat",
    "ls",
    "mkdir",
    "touch",
    "rm",
    "nslookup",
    "dig",
    "getent",
    "curl",
    "wget",
    "mongo",
    "mongosh",
];

/// A piece of a word: literal text, or an expansion's result that unquoted is split on spaces.
enum Op {
    Seq,
    And,
    Or,
}

impl<'a> Shell<'a> {
    pub fn new(c: &'a mut Cluster, target: &'a Target) -> Self {
        let env = environment(c, target);
        Shell {
            view: View { cluster: c, target },
            env,
            status: 0,
            commands: 0,
            depth: 0,
            cwd: "/".into(),
            exited: false,
        }
    }

    fn var(&self, name: &str) -> String {
        if name == "?" {
            return self.status.to_string();
        }
        self.env
            .iter()
            .rev()
            .find(|(k, _)| k == name)
            .map(|(_, v)| v.clone())
            .unwrap_or_default()
    }

    fn path(&self, p: &str) -> String {
        if p.starts_with('/') {
            p.to_string()
        } else {
            format!("{}/{p}", self.cwd)
        }
    }

    /// Runs a program with its arguments (what `kubectl exec -- ARGV` does: no shell parsing).
    pub fn run_argv(&mut self, argv: &[String], out: &mut ExecOutput) -> i32 {
        let Some((prog, args)) = argv.split_first() else {
            return 0;
        };
        self.commands += 1;
        if self.commands > MAX_COMMANDS {
            err(
                out,
                "sh: too many commands (the playground runs up to 1,000 per exec)",
            );
            return 2;
        }
        let status = self.program(prog, args, out);
        self.status = status;
        status
    }

    /// Runs a script (`sh -c SCRIPT`).
    pub fn run_script(&mut self, script: &str, out: &mut ExecOutput) -> i32 {
        if self.depth >= MAX_DEPTH {
            err(out, "sh: nesting too deep");
            return 2;
        }
        self.depth += 1;
        let status = self.script(script, out);
        self.depth -= 1;
        status
    }

    fn script(&mut self, script: &str, out: &mut ExecOutput) -> i32 {
        let (list, problem) = split_list(script);
        if let Some(p) = problem {
            err(out, &format!("sh: {p}"));
            self.status = 2;
            return 2;
        }
        let mut last_op = Op::Seq;
        for (text, op) in list {
            let run = match last_op {
                Op::Seq => true,
                Op::And => self.status == 0,
                Op::Or => self.status != 0,
            };
            last_op = op;
            if !run || text.trim().is_empty() {
                continue;
            }
            self.simple(&text, out);
            if self.exited {
                break;
            }
        }
        self.status
    }

    /// One simple command: expand its words, apply redirections, run it.
    fn simple(&mut self, text: &str, out: &mut ExecOutput) {
        let words = match self.expand(text, out) {
            Ok(w) => w,
            Err(e) => {
                err(out, &format!("sh: {e}"));
                self.status = 2;
                return;
            }
        };
        let mut argv = Vec::new();
        let mut redirect: Option<(String, bool)> = None;
        let mut stderr_to_null = false;
        let mut stderr_to_stdout = false;
        let mut i = 0;
        while i < words.len() {
            let (w, quoted) = &words[i];
            let op = (!quoted).then_some(w.as_str());
            match op {
                Some(">" | ">>" | "2>" | "2>>") => {
                    let Some((target, _)) = words.get(i + 1) else {
                        err(out, "sh: syntax error: unexpected newline");
                        self.status = 2;
                        return;
                    };
                    if w.starts_with('2') {
                        if target == "/dev/null" {
                            stderr_to_null = true;
                        }
                    } else {
                        redirect = Some((target.clone(), w == ">>"));
                    }
                    i += 2;
                    continue;
                }
                Some("2>&1") => stderr_to_stdout = true,
                Some("<") => {
                    err(
                        out,
                        "sh: input redirection is not simulated by the playground",
                    );
                    self.status = 2;
                    return;
                }
                _ => argv.push(w.clone()),
            }
            i += 1;
        }
        let mut sub = ExecOutput::default();
        let status = self.run_argv(&argv, &mut sub);
        self.status = status;
        // what the command could not write counts against the whole exec's output
        let kept: usize = sub.chunks.iter().map(|(_, t)| t.len()).sum();
        out.bytes = out.bytes.saturating_add(sub.bytes - kept);
        let mut captured = String::new();
        for (is_err, t) in sub.chunks {
            if is_err && stderr_to_null {
                continue;
            }
            if !is_err || stderr_to_stdout {
                if redirect.is_some() {
                    captured.push_str(&t);
                    continue;
                }
                write(out, false, t);
            } else {
                write(out, true, t);
            }
        }
        if let Some((file, append)) = redirect {
            if file == "/dev/null" {
                return;
            }
            let p = self.path(&file);
            if let Err(e) = self.view.write(&p, &captured, append) {
                err(out, &format!("sh: can't create {file}: {}", e.message()));
                self.status = 2;
            }
        }
    }

    /// Words of a simple command, expanded; `(text, quoted)` where `quoted` marks words
    /// that are not operators (any quoting, or produced by an expansion).
    fn expand(&mut self, text: &str, out: &mut ExecOutput) -> Result<Vec<(String, bool)>, String> {
        let chars: Vec<char> = text.chars().collect();
        let mut words: Vec<(String, bool)> = Vec::new();
        let mut cur = String::new();
        let mut has = false;
        let mut quoted = false;
        let mut i = 0;
        let mut expanded = 0usize;
        let flush = |cur: &mut String,
                     has: &mut bool,
                     quoted: &mut bool,
                     words: &mut Vec<(String, bool)>| {
            if *has {
                words.push((std::mem::take(cur), *quoted));
            }
            *has = false;
            *quoted = false;
        };
        while i < chars.len() {
            let ch = chars[i];
            match ch {
                ' ' | '\t' => {
                    flush(&mut cur, &mut has, &mut quoted, &mut words);
                    i += 1;
                }
                '\'' => {
                    let end = chars[i + 1..]
                        .iter()
                        .position(|&c| c == '\'')
                        .ok_or("syntax error: unterminated quoted string")?;
                    cur.extend(&chars[i + 1..i + 1 + end]);
                    has = true;
                    quoted = true;
                    i += end + 2;
                }
                '"' => {
                    has = true;
                    quoted = true;
                    i += 1;
                    loop {
                        let Some(&c) = chars.get(i) else {
                            return Err("syntax error: unterminated quoted string".into());
                        };
                        match c {
                            '"' => {
                                i += 1;
                                break;
                            }
                            '\\' if matches!(chars.get(i + 1), Some('"' | '\\' | '$' | '`')) => {
                                cur.push(chars[i + 1]);
                                i += 2;
                            }
                            '$' => {
                                let (v, n) = self.dollar(&chars[i..], out)?;
                                expanded += v.len();
                                if expanded > super::MAX_OUTPUT {
                                    return Err("argument list too long".into());
                                }
                                cur.push_str(&v);
                                i += n;
                            }
                            c => {
                                cur.push(c);
                                i += 1;
                            }
                        }
                    }
                }
                '\\' => {
                    if let Some(&c) = chars.get(i + 1) {
                        cur.push(c);
                    }
                    has = true;
                    quoted = true;
                    i += 2;
                }
                '$' => {
                    let (v, n) = self.dollar(&chars[i..], out)?;
                    i += n;
                    expanded += v.len();
                    if expanded > super::MAX_OUTPUT {
                        return Err("argument list too long".into());
                    }
                    // unquoted: split into fields
                    let mut fields = v.split_whitespace();
                    if v.starts_with(char::is_whitespace) {
                        flush(&mut cur, &mut has, &mut quoted, &mut words);
                    }
                    if let Some(f) = fields.next() {
                        cur.push_str(f);
                        has = true;
                        quoted = true;
                    }
                    for f in fields {
                        flush(&mut cur, &mut has, &mut quoted, &mut words);
                        cur.push_str(f);
                        has = true;
                        quoted = true;
                    }
                    if v.ends_with(char::is_whitespace) && !v.trim().is_empty() {
                        flush(&mut cur, &mut has, &mut quoted, &mut words);
                    }
                }
                '>' => {
                    let op = if chars.get(i + 1) == Some(&'>') {
                        ">>"
                    } else {
                        ">"
                    };
                    let fd2 = has && !quoted && cur == "2";
                    if fd2 && op == ">" && chars.get(i + 1..i + 3) == Some(&['&', '1']) {
                        cur.clear();
                        has = false;
                        words.push(("2>&1".into(), false));
                        i += 3;
                        continue;
                    }
                    if fd2 {
                        cur.clear();
                        has = false;
                        words.push((format!("2{op}"), false));
                    } else {
                        flush(&mut cur, &mut has, &mut quoted, &mut words);
                        words.push((op.into(), false));
                    }
                    i += op.len();
                }
                '<' => {
                    flush(&mut cur, &mut has, &mut quoted, &mut words);
                    words.push(("<".into(), false));
                    i += 1;
                }
                '`' => {
                    return Err("backquotes are not simulated by the playground: use $(…)".into())
                }
                c => {
                    cur.push(c);
                    has = true;
                    i += 1;
                }
            }
        }
        flush(&mut cur, &mut has, &mut quoted, &mut words);
        Ok(words)
    }

    /// `$NAME`, `${NAME}`, `$?`, `$(…)` at the start of `chars`: (value, chars consumed).
    fn dollar(&mut self, chars: &[char], out: &mut ExecOutput) -> Result<(String, usize), String> {
        match chars.get(1) {
            Some('(') => {
                let end = matching_paren(&chars[1..]).ok_or("syntax error: missing )")?;
                let inner: String = chars[2..1 + end].iter().collect();
                if self.depth >= MAX_DEPTH {
                    return Err("nesting too deep".into());
                }
                let mut sub = ExecOutput::default();
                self.depth += 1;
                self.script(&inner, &mut sub);
                self.depth -= 1;
                for (_, t) in sub.chunks.iter().filter(|(e, _)| *e) {
                    write(out, true, t.clone());
                }
                let s = sub.stdout();
                Ok((s.trim_end_matches('\n').to_string(), end + 2))
            }
            Some('{') => {
                let end = chars
                    .iter()
                    .position(|&c| c == '}')
                    .ok_or("syntax error: bad substitution")?;
                let name: String = chars[2..end].iter().collect();
                Ok((self.var(&name), end + 1))
            }
            Some('?') => Ok((self.status.to_string(), 2)),
            Some(c) if c.is_ascii_alphabetic() || *c == '_' => {
                let n = chars[1..]
                    .iter()
                    .take_while(|c| c.is_ascii_alphanumeric() || **c == '_')
                    .count();
                let name: String = chars[1..1 + n].iter().collect();
                Ok((self.var(&name), n + 1))
            }
            _ => Ok(("$".into(), 1)),
        }
    }

    fn program(&mut self, prog: &str, args: &[String], out: &mut ExecOutput) -> i32 {
        let image = self.view.target.image().to_string();
        if !apps::has_program(&image, prog) {
            err(out, &format!("sh: {prog}: not found"));
            return 127;
        }
        match prog {
            "sh" | "bash" | "/bin/sh" | "/bin/bash" => match args.first().map(String::as_str) {
                Some("-c") => match args.get(1) {
                    Some(s) => self.run_script(s, out),
                    None => {
                        err(out, "sh: -c requires an argument");
                        2
                    }
                },
                None => {
                    err(out, "sh: an interactive shell needs `kubectl exec -it POD -- sh` in a terminal; the playground runs `sh -c 'COMMANDS'`");
                    1
                }
                Some(f) => {
                    let f = f.to_string();
                    match self.view.read(&self.path(&f)) {
                        Ok(text) => self.run_script(&text, out),
                        Err(e) => {
                            err(out, &format!("sh: can't open '{f}': {}", e.message()));
                            2
                        }
                    }
                }
            },
            "exit" => {
                self.exited = true;
                args.first()
                    .and_then(|a| a.parse().ok())
                    .unwrap_or(self.status)
            }
            "true" | ":" => 0,
            "false" => 1,
            "sleep" => 0,
            "hostname" => {
                say(out, &format!("{}\n", self.view.target.hostname()));
                0
            }
            "whoami" => {
                say(out, "root\n");
                0
            }
            "pwd" => {
                say(out, &format!("{}\n", self.cwd));
                0
            }
            "cd" => {
                let to = args.first().cloned().unwrap_or_else(|| "/root".into());
                let p = crate::engine::pod_fs::normalize(&self.path(&to));
                if self.view.is_dir(&p) {
                    self.cwd = p;
                    0
                } else {
                    err(
                        out,
                        &format!("sh: cd: can't cd to {to}: No such file or directory"),
                    );
                    2
                }
            }
            "date" => {
                say(out, &format!("{}\n", date(self.view.cluster)));
                0
            }
            "echo" => {
                let (newline, words) = match args.first().map(String::as_str) {
                    Some("-n") => (false, &args[1..]),
                    _ => (true, args),
                };
                let mut s = words.join(" ");
                if newline {
                    s.push('\n');
                }
                say(out, &s);
                0
            }
            "env" | "printenv" => {
                if let Some(name) = args.first().filter(|_| prog == "printenv") {
                    return match self.env.iter().rev().find(|(k, _)| k == name) {
                        Some((_, v)) => {
                            say(out, &format!("{v}\n"));
                            0
                        }
                        None => 1,
                    };
                }
                let text: String = self.env.iter().map(|(k, v)| format!("{k}={v}\n")).collect();
                say(out, &text);
                0
            }
            "export" => {
                for a in args {
                    if let Some((k, v)) = a.split_once('=') {
                        self.env.push((k.to_string(), v.to_string()));
                    }
                }
                0
            }
            "cat" => {
                let mut status = 0;
                for f in args.iter().filter(|a| !a.starts_with('-')) {
                    match self.view.read(&self.path(f)) {
                        Ok(t) => say(out, &t),
                        Err(e) => {
                            err(out, &format!("cat: {f}: {}", e.message()));
                            status = 1;
                        }
                    }
                }
                status
            }
            "ls" => self.ls(args, out),
            "mkdir" => {
                let parents = args.iter().any(|a| a == "-p");
                let mut status = 0;
                for d in args.iter().filter(|a| !a.starts_with('-')) {
                    if let Err(e) = self.view.mkdir(&self.path(d), parents) {
                        err(
                            out,
                            &format!("mkdir: can't create directory '{d}': {}", e.message()),
                        );
                        status = 1;
                    }
                }
                status
            }
            "touch" => {
                let mut status = 0;
                for f in args.iter().filter(|a| !a.starts_with('-')) {
                    let p = self.path(f);
                    if self.view.exists(&p) {
                        continue;
                    }
                    if let Err(e) = self.view.write(&p, "", true) {
                        err(out, &format!("touch: {f}: {}", e.message()));
                        status = 1;
                    }
                }
                status
            }
            "rm" => {
                let flags: String = args
                    .iter()
                    .filter(|a| a.starts_with('-'))
                    .flat_map(|a| a.chars())
                    .collect();
                let (recursive, force) = (
                    flags.contains('r') || flags.contains('R'),
                    flags.contains('f'),
                );
                let mut status = 0;
                for f in args.iter().filter(|a| !a.starts_with('-')) {
                    match self.view.remove(&self.path(f), recursive) {
                        Ok(()) => {}
                        Err(FsError::NotFound) if force => {}
                        Err(FsError::IsADirectory) => {
                            err(out, &format!("rm: '{f}' is a directory"));
                            status = 1;
                        }
                        Err(e) => {
                            err(out, &format!("rm: can't remove '{f}': {}", e.message()));
                            status = 1;
                        }
                    }
                }
                status
            }
            "nslookup" | "dig" | "getent" | "curl" | "wget" => {
                apps::network(self.view.cluster, self.view.target, prog, args, out)
            }
            "mongo" | "mongosh" => apps::mongo_shell(&mut self.view, prog, args, out),
            _ => {
                err(out, &format!("sh: {prog}: not found"));
                127
            }
        }
    }

    fn ls(&mut self, args: &[String], out: &mut ExecOutput) -> i32 {
        let flags: String = args
            .iter()
            .filter(|a| a.starts_with('-'))
            .flat_map(|a| a.chars())
            .collect();
        let all = flags.contains('a');
        let long = flags.contains('l');
        let mut paths: Vec<&String> = args.iter().filter(|a| !a.starts_with('-')).collect();
        let cwd = self.cwd.clone();
        if paths.is_empty() {
            paths.push(&cwd);
        }
        let many = paths.len() > 1;
        let mut status = 0;
        for (i, p) in paths.iter().enumerate() {
            let full = self.path(p);
            let names = match self.view.list(&full) {
                Ok(n) => n,
                Err(FsError::NotADirectory) => vec![p.to_string()],
                Err(e) => {
                    err(out, &format!("ls: {p}: {}", e.message()));
                    status = 1;
                    continue;
                }
            };
            if many {
                say(out, &format!("{}{p}:\n", if i > 0 { "\n" } else { "" }));
            }
            let mut names = names;
            if !all {
                names.retain(|n| !n.starts_with('.'));
            }
            if all {
                names.insert(0, "..".into());
                names.insert(0, ".".into());
            }
            let mut text = String::new();
            if long {
                text.push_str(&format!("total {}\n", names.len()));
            }
            for n in names {
                if long {
                    let child = if self.view.is_dir(&full) {
                        format!("{full}/{n}")
                    } else {
                        full.clone()
                    };
                    let link = match n.as_str() {
                        "." | ".." => None,
                        _ => self.view.link_target(&child),
                    };
                    let (kind, size) = if let Some(target) = &link {
                        ('l', target.len())
                    } else if n == "." || n == ".." || self.view.is_dir(&child) {
                        ('d', 4096)
                    } else {
                        ('-', self.view.read(&child).map(|t| t.len()).unwrap_or(0))
                    };
                    let perm = match kind {
                        'd' => "rwxr-xr-x",
                        'l' => "rwxrwxrwx",
                        _ => "rw-r--r--",
                    };
                    let shown = match &link {
                        Some(target) => format!("{n} -> {target}"),
                        None => n,
                    };
                    text.push_str(&format!(
                        "{kind}{perm}    1 root     root      {size:>8} Jan  1 00:00 {shown}\n"
                    ));
                } else {
                    text.push_str(&format!("{n}\n"));
                }
            }
            say(out, &text);
        }
        status
    }
}

/// Splits a script at top-level `;`, `&&`, `||` and newlines (outside quotes and `$(…)`).
/// The second value names syntax the playground does not simulate.
fn split_list(script: &str) -> (Vec<(String, Op)>, Option<String>) {
    let chars: Vec<char> = script.chars().collect();
    let mut out = Vec::new();
    let mut cur = String::new();
    let mut i = 0;
    let mut depth = 0usize;
    let mut quote: Option<char> = None;
    while i < chars.len() {
        let c = chars[i];
        if let Some(q) = quote {
            cur.push(c);
            if c == '\\' && q == '"' {
                if let Some(&n) = chars.get(i + 1) {
                    cur.push(n);
                    i += 1;
                }
            } else if c == q {
                quote = None;
            }
            i += 1;
            continue;
        }
        match c {
            '\'' | '"' => {
                quote = Some(c);
                cur.push(c);
            }
            '\\' => {
                cur.push(c);
                if let Some(&n) = chars.get(i + 1) {
                    cur.push(n);
                    i += 1;
                }
            }
            '(' => {
                depth += 1;
                cur.push(c);
            }
            ')' => {
                depth = depth.saturating_sub(1);
                cur.push(c);
            }
            ';' | '\n' if depth == 0 => out.push((std::mem::take(&mut cur), Op::Seq)),
            '&' if depth == 0 && chars.get(i + 1) == Some(&'&') => {
                out.push((std::mem::take(&mut cur), Op::And));
                i += 1;
            }
            '|' if depth == 0 && chars.get(i + 1) == Some(&'|') => {
                out.push((std::mem::take(&mut cur), Op::Or));
                i += 1;
            }
            '|' if depth == 0 => {
                return (
                    out,
                    Some("pipes are not simulated by the playground".into()),
                );
            }
            '&' if depth == 0 && !cur.ends_with('>') => {
                return (
                    out,
                    Some("background jobs (&) are not simulated by the playground".into()),
                );
            }
            _ => cur.push(c),
        }
        i += 1;
    }
    if quote.is_some() {
        return (out, Some("syntax error: unterminated quoted string".into()));
    }
    let first = cur
        .split_whitespace()
        .next()
        .unwrap_or_default()
        .to_string();
    out.push((cur, Op::Seq));
    for (text, _) in &out {
        let w = text.split_whitespace().next().unwrap_or_default();
        if matches!(w, "for" | "while" | "until" | "if" | "case" | "function") {
            return (
                Vec::new(),
                Some(format!(
                    "`{w}` is not simulated by the playground: run one command per exec"
                )),
            );
        }
    }
    let _ = first;
    (out, None)
}

/// The index of the `)` matching the `(` at `chars[0]`, outside quotes.
fn matching_paren(chars: &[char]) -> Option<usize> {
    let mut depth = 0;
    let mut quote: Option<char> = None;
    for (i, &c) in chars.iter().enumerate() {
        match quote {
            Some(q) if c == q => quote = None,
            Some(_) => {}
            None => match c {
                '\'' | '"' => quote = Some(c),
                '(' => depth += 1,
                ')' => {
                    depth -= 1;
                    if depth == 0 {
                        return Some(i);
                    }
                }
                _ => {}
            },
        }
    }
    None
}

pub(super) fn say(out: &mut ExecOutput, text: &str) {
    write(out, false, text.to_string());
}

pub(super) fn err(out: &mut ExecOutput, line: &str) {
    write(out, true, format!("{line}\n"));
}

/// Appends a chunk unless the output already holds [`super::MAX_OUTPUT`] bytes.
fn write(out: &mut ExecOutput, is_err: bool, text: String) {
    if text.is_empty() {
        return;
    }
    out.bytes = out.bytes.saturating_add(text.len());
    if out.bytes <= super::MAX_OUTPUT {
        out.chunks.push((is_err, text));
    }
}
