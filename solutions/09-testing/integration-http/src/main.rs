//! Serves the notes API on `PORT` (default 8080); `API_KEY` allows deletes.

#[tokio::main]
async fn main() {
    let Ok(api_key) = std::env::var("API_KEY") else {
        eprintln!("config: API_KEY is required");
        std::process::exit(2);
    };
    let port = std::env::var("PORT").unwrap_or_else(|_| "8080".into());
    let listener = match tokio::net::TcpListener::bind(format!("127.0.0.1:{port}")).await {
        Ok(l) => l,
        Err(e) => {
            eprintln!("cannot listen on port {port}: {e}");
            std::process::exit(1);
        }
    };
    let app = integration_http::app(integration_http::AppState::new(&api_key));
    if let Err(e) = axum::serve(listener, app).await {
        eprintln!("server error: {e}");
        std::process::exit(1);
    }
}
