//! Storage. The service sees only the `Repository` trait, so a PostgreSQL
//! implementation (part 04) can replace `InMemory` without touching it.

use std::collections::BTreeMap;
use std::sync::{Mutex, MutexGuard};

use serde::Serialize;

#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Project {
    pub id: u64,
    pub name: String,
}

#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Task {
    pub id: u64,
    pub project_id: u64,
    pub title: String,
    pub done: bool,
}

/// What the admin sees.
#[derive(Clone, Copy, Debug, Default, PartialEq, Serialize)]
pub struct Counts {
    pub projects: usize,
    pub tasks: usize,
    pub done: usize,
}

/// Rows in, rows out; no rules. `Send + Sync` because one instance is
/// shared by every request.
pub trait Repository: Send + Sync {
    fn insert_project(&self, name: &str) -> Project;
    fn project(&self, id: u64) -> Option<Project>;
    fn insert_task(&self, project_id: u64, title: &str) -> Task;
    fn task(&self, id: u64) -> Option<Task>;
    fn update_task(&self, task: &Task);
    /// The tasks of a project, in id order.
    fn tasks_of(&self, project_id: u64) -> Vec<Task>;
    fn counts(&self) -> Counts;
}

#[derive(Default)]
pub struct InMemory {
    tables: Mutex<Tables>,
}

#[derive(Default)]
struct Tables {
    last_id: u64,
    projects: BTreeMap<u64, Project>,
    tasks: BTreeMap<u64, Task>,
}

impl InMemory {
    fn tables(&self) -> MutexGuard<'_, Tables> {
        self.tables
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner())
    }
}

impl Repository for InMemory {
    fn insert_project(&self, name: &str) -> Project {
        let mut t = self.tables();
        t.last_id += 1;
        let project = Project {
            id: t.last_id,
            name: name.to_string(),
        };
        t.projects.insert(project.id, project.clone());
        project
    }

    fn project(&self, id: u64) -> Option<Project> {
        self.tables().projects.get(&id).cloned()
    }

    fn insert_task(&self, project_id: u64, title: &str) -> Task {
        let mut t = self.tables();
        t.last_id += 1;
        let task = Task {
            id: t.last_id,
            project_id,
            title: title.to_string(),
            done: false,
        };
        t.tasks.insert(task.id, task.clone());
        task
    }

    fn task(&self, id: u64) -> Option<Task> {
        self.tables().tasks.get(&id).cloned()
    }

    fn update_task(&self, task: &Task) {
        self.tables().tasks.insert(task.id, task.clone());
    }

    fn tasks_of(&self, project_id: u64) -> Vec<Task> {
        let t = self.tables();
        let tasks = t.tasks.values();
        tasks
            .filter(|task| task.project_id == project_id)
            .cloned()
            .collect()
    }

    fn counts(&self) -> Counts {
        let t = self.tables();
        Counts {
            projects: t.projects.len(),
            tasks: t.tasks.len(),
            done: t.tasks.values().filter(|task| task.done).count(),
        }
    }
}
