//! The rules of the application. Nothing here knows about HTTP: the
//! service answers with domain values and `ServiceError`s, and `web.rs`
//! decides which status each error becomes.

use std::sync::Arc;

use serde::Serialize;

use crate::repo::{Counts, Project, Repository, Task};

/// A project may have at most this many tasks that are not done.
pub const MAX_OPEN_TASKS: usize = 5;

#[derive(Debug, PartialEq, Eq)]
pub enum ServiceError {
    ProjectNotFound(u64),
    TaskNotFound(u64),
    /// A name or title that is empty once trimmed.
    Blank(&'static str),
    TooManyOpenTasks,
    AlreadyDone(u64),
}

/// A project as the API shows it.
#[derive(Debug, PartialEq, Serialize)]
pub struct ProjectView {
    pub id: u64,
    pub name: String,
    pub open_tasks: usize,
}

pub struct Service {
    repo: Arc<dyn Repository>,
}

impl Service {
    pub fn new(repo: Arc<dyn Repository>) -> Self {
        Service { repo }
    }

    pub fn create_project(&self, name: &str) -> Result<ProjectView, ServiceError> {
        let name = name.trim();
        if name.is_empty() {
            return Err(ServiceError::Blank("name"));
        }
        let project = self.repo.insert_project(name);
        Ok(self.view(project))
    }

    pub fn project(&self, id: u64) -> Result<ProjectView, ServiceError> {
        let project = self
            .repo
            .project(id)
            .ok_or(ServiceError::ProjectNotFound(id))?;
        Ok(self.view(project))
    }

    pub fn tasks(&self, project_id: u64) -> Result<Vec<Task>, ServiceError> {
        self.project(project_id)?;
        Ok(self.repo.tasks_of(project_id))
    }

    /// Adds a task to a project.
    pub fn add_task(&self, project_id: u64, title: &str) -> Result<Task, ServiceError> {
        // TODO(2): the rules, in this order:
        // - the project must exist, else `ProjectNotFound(project_id)`
        // - the title, trimmed, must not be empty, else `Blank("title")`
        // - the project must have fewer than MAX_OPEN_TASKS tasks that are
        //   not done, else `TooManyOpenTasks`
        // then `self.repo.insert_task(project_id, trimmed_title)`.
        // (Checking and then inserting is two steps: two requests at once
        // could both pass the check. A database transaction closes that
        // gap; part 04.)
        let _ = (&self.repo, project_id, title);
        todo!("TODO(2): add a task to project {project_id}")
    }

    /// Marks a task done.
    pub fn complete_task(&self, task_id: u64) -> Result<Task, ServiceError> {
        // TODO(3): `TaskNotFound(task_id)` when there is no such task,
        // `AlreadyDone(task_id)` when it is done; otherwise set `done`,
        // `self.repo.update_task(&task)`, and return the task.
        let _ = task_id;
        todo!("TODO(3): complete task {task_id}")
    }

    pub fn stats(&self) -> Counts {
        self.repo.counts()
    }

    fn view(&self, project: Project) -> ProjectView {
        let tasks = self.repo.tasks_of(project.id);
        ProjectView {
            open_tasks: tasks.iter().filter(|task| !task.done).count(),
            id: project.id,
            name: project.name,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::{MAX_OPEN_TASKS, Service, ServiceError};
    use crate::repo::InMemory;
    use std::sync::Arc;

    /// The service on a fresh in-memory repository: no server, no HTTP.
    fn service() -> Service {
        Service::new(Arc::new(InMemory::default()))
    }

    // --- TODO(2): add_task ---

    #[test]
    fn a_task_starts_open_with_a_trimmed_title() {
        let s = service();
        let p = s.create_project("roadmap").unwrap();
        let task = s
            .add_task(p.id, "  write the plan ")
            .expect("TODO(2): add_task");
        assert_eq!(
            task.project_id, p.id,
            "TODO(2): the task belongs to its project"
        );
        assert_eq!(task.title, "write the plan", "TODO(2): trim the title");
        assert!(!task.done, "TODO(2): a new task is not done");
        assert_eq!(s.project(p.id).unwrap().open_tasks, 1);
        assert_eq!(s.tasks(p.id).unwrap(), vec![task]);
    }

    #[test]
    fn a_task_needs_an_existing_project() {
        let s = service();
        assert_eq!(
            s.add_task(42, "orphan"),
            Err(ServiceError::ProjectNotFound(42)),
            "TODO(2): an unknown project is ProjectNotFound"
        );
    }

    #[test]
    fn a_blank_title_is_refused() {
        let s = service();
        let p = s.create_project("roadmap").unwrap();
        assert_eq!(
            s.add_task(p.id, " \t "),
            Err(ServiceError::Blank("title")),
            "TODO(2): a title that is empty once trimmed is Blank(\"title\")"
        );
        assert_eq!(
            s.project(p.id).unwrap().open_tasks,
            0,
            "TODO(2): nothing stored"
        );
    }

    #[test]
    fn at_most_five_open_tasks() {
        let s = service();
        let p = s.create_project("roadmap").unwrap();
        let mut ids = Vec::new();
        for n in 0..MAX_OPEN_TASKS {
            ids.push(s.add_task(p.id, &format!("task {n}")).unwrap().id);
        }
        assert_eq!(
            s.add_task(p.id, "one too many"),
            Err(ServiceError::TooManyOpenTasks),
            "TODO(2): the sixth open task is TooManyOpenTasks"
        );
        s.complete_task(ids[0]).expect("TODO(3): complete_task");
        assert!(
            s.add_task(p.id, "room again").is_ok(),
            "TODO(2): only tasks that are not done count"
        );
    }

    // --- TODO(3): complete_task ---

    #[test]
    fn completing_marks_the_task_done_once() {
        let s = service();
        let p = s.create_project("roadmap").unwrap();
        let task = s.add_task(p.id, "ship it").expect("TODO(2): add_task");
        let done = s.complete_task(task.id).expect("TODO(3): complete_task");
        assert!(done.done, "TODO(3): the returned task is done");
        assert!(
            s.tasks(p.id).unwrap()[0].done,
            "TODO(3): update the repository"
        );
        assert_eq!(s.project(p.id).unwrap().open_tasks, 0);
        assert_eq!(
            s.complete_task(task.id),
            Err(ServiceError::AlreadyDone(task.id)),
            "TODO(3): completing twice is AlreadyDone"
        );
    }

    #[test]
    fn completing_an_unknown_task() {
        assert_eq!(
            service().complete_task(7),
            Err(ServiceError::TaskNotFound(7)),
            "TODO(3): an unknown task is TaskNotFound"
        );
    }
}
