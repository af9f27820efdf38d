//! `[test]` and `[mutation]`: which of the learner's tests run, and the
//! seeded mutants they must catch.

use super::Ctx;
use crate::spec::raw::{RawMutation, RawTest};
use crate::spec::{Mutant, MutationSpec, TestName, TestSpec};
use std::time::Duration;
use toml::Spanned;

pub(super) fn test_spec(cx: &mut Ctx, t: RawTest) -> TestSpec {
    for p in &t.protect {
        let v = p.get_ref();
        if v.starts_with('/') || v.split('/').any(|c| c == "..") || v.is_empty() {
            cx.err(
                p.span(),
                "protected files are paths inside the crate",
                "e.g. protect = [\"tests/api.rs\", \"src/tests.rs\"]",
            );
        }
    }
    let names = |cx: &mut Ctx, list: &[Spanned<String>]| -> Vec<TestName> {
        let mut out = Vec::new();
        for n in list {
            match n.get_ref().split_once('/') {
                Some((target, part))
                    if !target.is_empty()
                        && target
                            .bytes()
                            .all(|b| b.is_ascii_alphanumeric() || b == b'_' || b == b'-') =>
                {
                    out.push(TestName {
                        target: target.into(),
                        part: part.into(),
                    })
                }
                _ => cx.err(
                    n.span(),
                    format!("`{}` does not name a test as target/name", n.get_ref()),
                    "the target first: \"lib/tests::parses\", \"api/round_trip\" (tests/api.rs), \"doc/slugify\" (a doc test of slugify)",
                ),
            }
        }
        out
    };
    let require = names(cx, &t.require);
    let ignored = names(cx, &t.ignored);
    if let Some(n) = require.iter().find(|n| n.target == "doc")
        && !t.doc
    {
        let span = t
            .require
            .iter()
            .find(|r| r.get_ref() == &n.to_string())
            .map(|r| r.span());
        if let Some(span) = span {
            cx.err(
                span,
                "a doc test is required but doc tests do not run",
                "add `doc = true` to [test]",
            );
        }
    }
    TestSpec {
        timeout: cx.duration(&t.timeout, Duration::from_secs(120)),
        filter: t.filter,
        protect: t.protect.iter().map(|p| p.get_ref().clone()).collect(),
        doc: t.doc,
        include_ignored: t.include_ignored,
        require,
        ignored,
    }
}

pub(super) fn mutation_spec(cx: &mut Ctx, m: Spanned<RawMutation>) -> MutationSpec {
    let mspan = m.span();
    let m = m.into_inner();
    let code: Vec<String> = m.code.iter().map(|c| c.get_ref().clone()).collect();
    for c in &m.code {
        if c.get_ref().starts_with('/') || c.get_ref().contains("..") {
            cx.err(
                c.span(),
                "code files are paths inside the crate",
                "e.g. \"src/lib.rs\"",
            );
        }
    }
    if m.mutant.is_empty() {
        cx.err(
            mspan,
            "a [mutation] table needs mutants",
            "add [[mutation.mutant]] entries: name, file, replace, with",
        );
    }
    let mutants = m
        .mutant
        .iter()
        .map(|mu| {
            let r = mu.get_ref();
            if !code.contains(r.file.get_ref()) {
                cx.err(
                    r.file.span(),
                    format!("`{}` is not one of the `code` files", r.file.get_ref()),
                    "mutants change the reference code: list the file in `code`",
                );
            }
            if r.replace.get_ref().is_empty() {
                cx.err(
                    r.replace.span(),
                    "`replace` is empty",
                    "quote the exact text of the reference to change",
                );
            }
            Mutant {
                name: r.name.clone(),
                file: r.file.get_ref().clone(),
                replace: r.replace.get_ref().clone(),
                with: r.with.clone(),
            }
        })
        .collect();
    MutationSpec {
        code,
        timeout: cx.duration(&m.timeout, Duration::from_secs(180)),
        mutants,
    }
}
