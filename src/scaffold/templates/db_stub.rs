//! NAME: a server that keeps notes in PostgreSQL. `POST /notes` stores the
//! request body as a note and answers 201 with its id; `GET /notes/count`
//! answers how many notes there are.
//! Checked by: `serverlings check NAME` (starts it with DATABASE_URL naming
//! a database of its own, sends requests, then reads the table itself).

use sqlx::PgPool;
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::{TcpListener, TcpStream};

/// Reads one request: its method, path and body (up to Content-Length).
async fn read_request(stream: &mut TcpStream) -> std::io::Result<(String, String, String)> {
    let mut buf = Vec::new();
    let mut chunk = [0u8; 4096];
    loop {
        let n = stream.read(&mut chunk).await?;
        if n == 0 {
            break;
        }
        buf.extend_from_slice(&chunk[..n]);
        let text = String::from_utf8_lossy(&buf);
        if let Some((head, body)) = text.split_once("\r\n\r\n") {
            let length = head
                .lines()
                .filter_map(|l| l.split_once(':'))
                .find(|(k, _)| k.trim().eq_ignore_ascii_case("content-length"))
                .and_then(|(_, v)| v.trim().parse::<usize>().ok())
                .unwrap_or(0);
            if body.len() >= length {
                break;
            }
        }
    }
    let text = String::from_utf8_lossy(&buf).into_owned();
    let (head, body) = text.split_once("\r\n\r\n").unwrap_or((&text, ""));
    let mut words = head.split_whitespace();
    let method = words.next().unwrap_or("GET").to_string();
    let path = words.next().unwrap_or("/").to_string();
    Ok((method, path, body.to_string()))
}

async fn answer(mut stream: TcpStream, db: PgPool) -> std::io::Result<()> {
    let (method, path, body) = read_request(&mut stream).await?;
    let (status, text) = match (method.as_str(), path.as_str()) {
        ("POST", "/notes") => {
            // TODO(1): insert `body` into notes(text), RETURNING id, and
            // answer 201 with the id.
            let _ = &body;
            ("501 Not Implemented", "TODO(1)".to_string())
        }
        ("GET", "/notes/count") => {
            match sqlx::query_scalar::<_, i64>("SELECT count(*) FROM notes")
                .fetch_one(&db)
                .await
            {
                Ok(n) => ("200 OK", n.to_string()),
                Err(e) => ("500 Internal Server Error", e.to_string()),
            }
        }
        _ => ("404 Not Found", "not found".to_string()),
    };
    let response = format!(
        "HTTP/1.1 {status}\r\ncontent-type: text/plain\r\n\
         content-length: {}\r\nconnection: close\r\n\r\n{text}",
        text.len()
    );
    stream.write_all(response.as_bytes()).await
}

#[tokio::main]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    let url = std::env::var("DATABASE_URL")
        .map_err(|_| "DATABASE_URL is not set: `serverlings check NAME` sets it")?;
    let db = PgPool::connect(&url).await?;
    sqlx::raw_sql("CREATE TABLE IF NOT EXISTS notes (id bigserial PRIMARY KEY, text text NOT NULL)")
        .execute(&db)
        .await?;
    let port = std::env::var("PORT").unwrap_or_else(|_| "8080".into());
    let listener = TcpListener::bind(format!("127.0.0.1:{port}")).await?;
    println!("listening on 127.0.0.1:{port}");
    loop {
        let (stream, _) = listener.accept().await?;
        tokio::spawn(answer(stream, db.clone()));
    }
}
