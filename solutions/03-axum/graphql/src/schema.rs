//! The GraphQL schema: the roots, and how each field of each type is
//! resolved.

use async_graphql::dataloader::DataLoader;
use async_graphql::{Context, ID, Object, Result};

use crate::loaders::{AuthorLoader, BooksByAuthorLoader};
use crate::repo::{Author, Book, Repo};

fn parse_id(id: &ID) -> Result<u64> {
    id.parse::<u64>()
        .map_err(|_| format!("not an id: {}", id.as_str()).into())
}

pub struct QueryRoot;

#[Object]
impl QueryRoot {
    async fn books(&self, ctx: &Context<'_>) -> Vec<Book> {
        ctx.data_unchecked::<Repo>().all_books()
    }

    async fn book(&self, ctx: &Context<'_>, id: ID) -> Result<Option<Book>> {
        Ok(ctx.data_unchecked::<Repo>().book(parse_id(&id)?))
    }

    async fn authors(&self, ctx: &Context<'_>) -> Vec<Author> {
        ctx.data_unchecked::<Repo>().all_authors()
    }
}

pub struct MutationRoot;

#[Object]
impl MutationRoot {
    async fn add_author(&self, ctx: &Context<'_>, name: String) -> Author {
        ctx.data_unchecked::<Repo>().insert_author(&name)
    }

    async fn add_book(&self, ctx: &Context<'_>, title: String, author_id: ID) -> Result<Book> {
        let repo = ctx.data_unchecked::<Repo>();
        let id = parse_id(&author_id)?;
        if repo.author(id).is_none() {
            // A GraphQL error in the response's `errors`, next to the data.
            return Err(format!("no author {id}").into());
        }
        Ok(repo.insert_book(&title, id))
    }
}

#[Object]
impl Book {
    async fn id(&self) -> ID {
        ID::from(self.id.to_string())
    }

    async fn title(&self) -> &str {
        &self.title
    }

    async fn author(&self, ctx: &Context<'_>) -> Result<Author> {
        // The loader collects the ids every book of the list asks for, and
        // makes one read for all of them.
        let loader = ctx.data_unchecked::<DataLoader<AuthorLoader>>();
        Ok(loader
            .load_one(self.author_id)
            .await?
            .ok_or("the author is gone")?)
    }
}

#[Object]
impl Author {
    async fn id(&self) -> ID {
        ID::from(self.id.to_string())
    }

    async fn name(&self) -> &str {
        &self.name
    }

    async fn books(&self, ctx: &Context<'_>) -> Result<Vec<Book>> {
        let loader = ctx.data_unchecked::<DataLoader<BooksByAuthorLoader>>();
        Ok(loader.load_one(self.id).await?.unwrap_or_default())
    }
}
