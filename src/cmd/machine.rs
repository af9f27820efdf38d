//! The machine: `doctor` and `services`.

use super::runtime;

use crate::out::outln;
use crate::style::Style;
use anyhow::Result;
use serverlings_core::course::Course;
use std::process::ExitCode;

pub fn doctor(course: &Course, style: Style) -> Result<ExitCode> {
    let findings = crate::doctor::run(course);
    crate::doctor::print(&findings, style);
    Ok(if findings.iter().all(|f| f.ok) {
        ExitCode::SUCCESS
    } else {
        ExitCode::from(crate::EXIT_ERROR)
    })
}

/// `serverlings services up|down|status`.
pub fn services(
    course: &Course,
    action: crate::cli::ServicesAction,
    style: Style,
) -> Result<ExitCode> {
    use crate::cli::{ServiceName, ServicesAction};
    use serverlings_services::{Kind, ops};
    let kinds = |names: Vec<ServiceName>| -> Vec<Kind> {
        if names.is_empty() {
            return vec![Kind::Postgres, Kind::Redis];
        }
        let mut k: Vec<Kind> = names
            .into_iter()
            .map(|n| match n {
                ServiceName::Postgres => Kind::Postgres,
                ServiceName::Redis => Kind::Redis,
                ServiceName::Rabbitmq => Kind::Rabbitmq,
                ServiceName::Mysql => Kind::Mysql,
            })
            .collect();
        k.dedup();
        k
    };
    let root = course.root.clone();
    let changes = !matches!(action, ServicesAction::Status);
    let rows = runtime()?.block_on(async move {
        match action {
            ServicesAction::Up { services } => ops::up(&root, &kinds(services)).await,
            ServicesAction::Down { services } => ops::down(&root, &kinds(services)).await,
            ServicesAction::Status => ops::status(&root).await,
        }
    });
    for r in &rows {
        let mark = if r.ok {
            style.green("✓")
        } else {
            style.red("✗")
        };
        outln!("{mark} {:<9} {}", r.kind.id(), r.text);
    }
    // `status` only reports; `up` and `down` fail when one of them did.
    Ok(if !changes || rows.iter().all(|r| r.ok) {
        ExitCode::SUCCESS
    } else {
        ExitCode::from(crate::EXIT_ERROR)
    })
}
