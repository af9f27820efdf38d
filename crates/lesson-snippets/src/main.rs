//! Runs one lesson snippet's `main` by id: `lesson-snippets 01-runtime/#3`.
use std::process::ExitCode;

fn main() -> ExitCode {
    let Some(id) = std::env::args().nth(1) else {
        eprintln!("usage: lesson-snippets ID   (ids: lesson-snippets --list)");
        return ExitCode::from(2);
    };
    if id == "--list" {
        for s in lesson_snippets::SNIPPETS {
            println!("{} {} line {}", s.id, s.mode, s.line);
        }
        return ExitCode::SUCCESS;
    }
    match lesson_snippets::run(&id) {
        Some(code) => code,
        None => {
            eprintln!("no runnable snippet {id} (see lesson-snippets --list)");
            ExitCode::from(2)
        }
    }
}
