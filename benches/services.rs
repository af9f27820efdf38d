//! Measurements of the services layer: how long a throwaway PostgreSQL
//! takes to accept connections, and how long a check waits for its own
//! database — against `CREATE DATABASE` baselines measured in the same run.
//!
//! `cargo bench --bench services` (needs a local PostgreSQL installation;
//! the machine's server on 127.0.0.1:5432, if any, is measured too).
//! Not timed tests: it prints figures for docs/performance.md.

#![allow(dead_code, unused_imports)]

use serverlings_core::duration;
use serverlings_services as services;

use services::{Kind, Server, Source, instance, lease, postgres};
use std::time::{Duration, Instant};

const STARTS: usize = 6;
const ROUNDS: usize = 30;

fn stats(mut v: Vec<Duration>) -> String {
    v.sort();
    let ms = |d: Duration| d.as_secs_f64() * 1000.0;
    let at = |q: f64| v[((v.len() - 1) as f64 * q).round() as usize];
    format!(
        "median {:7.1} ms   p90 {:7.1} ms   min {:7.1} ms   (n={})",
        ms(at(0.5)),
        ms(at(0.9)),
        ms(v[0]),
        v.len()
    )
}

fn row(label: &str, v: Vec<Duration>) {
    println!("  {label:<52} {}", stats(v));
}

/// `CREATE DATABASE … ; DROP DATABASE …` on one open connection: the
/// server's own cost, without serverlings around it.
async fn sql_create(url: &str, extra: &str) -> Result<Vec<Duration>, String> {
    let c = postgres::connect(url).await?;
    let mut out = Vec::new();
    for i in 0..ROUNDS {
        let name = format!("sl_bench_{}_{i}", std::process::id());
        let t = Instant::now();
        c.batch_execute(&format!("CREATE DATABASE {name} {extra}"))
            .await
            .map_err(|e| postgres::describe(&e))?;
        out.push(t.elapsed());
        c.batch_execute(&format!("DROP DATABASE {name} WITH (FORCE)"))
            .await
            .map_err(|e| postgres::describe(&e))?;
    }
    Ok(out)
}

/// What a check does: connect, create from the template, hand out the URL
/// (`isolate`); then connect and drop (`release`).
async fn per_check(server: &Server) -> Result<(Vec<Duration>, Vec<Duration>), String> {
    // The first call makes the template; not part of a check's cost.
    let mut warm = lease::Leases::default();
    warm.push(
        lease::isolate(server, "bench")
            .await
            .map_err(|e| e.to_string())?,
    );
    warm.release().await;
    let (mut made, mut dropped) = (Vec::new(), Vec::new());
    for _ in 0..ROUNDS {
        let t = Instant::now();
        let l = lease::isolate(server, "bench")
            .await
            .map_err(|e| e.to_string())?;
        made.push(t.elapsed());
        let mut ls = lease::Leases::default();
        ls.push(l);
        let t = Instant::now();
        let warnings = ls.release().await;
        dropped.push(t.elapsed());
        if let Some(w) = warnings.first() {
            return Err(w.clone());
        }
    }
    Ok((made, dropped))
}

async fn measure_server(title: &str, server: &Server) {
    let version = postgres::version(&postgres::admin_url(&server.url).unwrap_or_default())
        .await
        .unwrap_or_else(|e| format!("? ({e})"));
    println!("\n{title} — {version}");
    let admin = postgres::admin_url(&server.url).unwrap_or_default();
    match sql_create(&admin, "").await {
        Ok(v) => row("baseline: CREATE DATABASE (from template1)", v),
        Err(e) => println!("  baseline failed: {e}"),
    }
    if postgres::ensure_template(&admin).await.is_ok() {
        match sql_create(&admin, &format!("TEMPLATE {}", postgres::TEMPLATE)).await {
            Ok(v) => row("CREATE DATABASE … TEMPLATE serverlings_template", v),
            Err(e) => println!("  from the template failed: {e}"),
        }
        match sql_create(
            &admin,
            &format!("TEMPLATE {} STRATEGY FILE_COPY", postgres::TEMPLATE),
        )
        .await
        {
            Ok(v) => row("  … STRATEGY FILE_COPY (PostgreSQL 15+)", v),
            Err(e) => println!("  FILE_COPY: {e}"),
        }
    }
    match per_check(server).await {
        Ok((made, dropped)) => {
            row("per check: isolate (connect, create, URL)", made);
            row("per check: release (connect, DROP … FORCE)", dropped);
        }
        Err(e) => println!("  per check failed: {e}"),
    }
}

#[tokio::main]
async fn main() {
    println!("services benchmark ({STARTS} cold starts, {ROUNDS} rounds per figure)");
    let Some(install) = services::find::install(Kind::Postgres) else {
        println!("no PostgreSQL installation found: nothing to measure");
        return;
    };
    let base = std::env::temp_dir().join(format!("serverlings-bench-{}", std::process::id()));
    // The first start makes the seed cluster with initdb; later ones copy it.
    let (mut first, mut copy, mut ready, mut total) =
        (Vec::new(), Vec::new(), Vec::new(), Vec::new());
    let mut kept = None;
    for i in 0..STARTS {
        let dir = base.join(format!("pg-{i}"));
        let t = Instant::now();
        let inst = match services::registry::start(
            Kind::Postgres,
            &install,
            &dir,
            &base.join("seeds"),
            instance::Life::Run,
        )
        .await
        {
            Ok(i) => i,
            Err(e) => {
                println!("cannot start PostgreSQL: {e}");
                return;
            }
        };
        if i > 0 {
            total.push(t.elapsed());
        }
        for (stage, d) in &inst.startup {
            if stage.starts_with("initdb") {
                first.push(*d);
            } else if stage.starts_with("copy") {
                copy.push(*d);
            } else if i > 0 {
                ready.push(*d);
            }
        }
        if i + 1 == STARTS {
            kept = Some(inst);
        } else {
            inst.stop().await;
        }
    }
    // Baseline: what every start would cost without the seed.
    let mut initdb = Vec::new();
    if let services::find::Install::Postgres { initdb: bin, .. } = &install {
        let user = instance::unprivileged_user().ok().flatten();
        for i in 0..3 {
            let parent = base.join(format!("initdb-{i}"));
            let _ = std::fs::create_dir_all(&parent);
            if let Some(u) = user {
                let _ = instance::chown(&parent, u);
            }
            let t = Instant::now();
            let r = instance::run_to_end(
                bin,
                &postgres::initdb_args(&parent.join("data")),
                &parent,
                user,
                Duration::from_secs(120),
            )
            .await;
            if r.is_ok() {
                initdb.push(t.elapsed());
            }
        }
    }
    println!("\nthrowaway PostgreSQL (fsync off), from nothing to accepting connections");
    if !initdb.is_empty() {
        row("baseline: initdb --no-sync for every start", initdb);
    }
    row("first start only: initdb of the seed cluster + copy", first);
    row("data dir: copy of the seed cluster (cp -a)", copy);
    row("postgres started → accepts a connection", ready);
    row("total (copy + start + first query)", total);

    if let Some(inst) = kept {
        let server = Server {
            kind: Kind::Postgres,
            url: inst.state.url.clone(),
            source: Source::OnDemand,
        };
        measure_server("per-check database on the throwaway instance", &server).await;
        inst.stop().await;
    }
    if instance::answers("127.0.0.1", 5432) {
        let url = std::env::var("BENCH_DATABASE_URL")
            .unwrap_or_else(|_| "postgres://postgres@127.0.0.1:5432/postgres".into());
        let server = Server {
            kind: Kind::Postgres,
            url,
            source: Source::Env,
        };
        measure_server(
            "per-check database on the machine's server (127.0.0.1:5432, fsync on)",
            &server,
        )
        .await;
    }
    let _ = std::fs::remove_dir_all(&base);
}
