//! A work queue on RabbitMQ: what the API (`main.rs`) and the worker
//! (`src/bin/`) share.

pub mod job;
pub mod topology;

/// Connects to `$AMQP_URL` and opens one channel.
pub async fn connect() -> Result<(lapin::Connection, lapin::Channel), String> {
    let url = std::env::var("AMQP_URL").map_err(|_| "AMQP_URL is required".to_string())?;
    let conn = lapin::Connection::connect(&url, lapin::ConnectionProperties::default())
        .await
        .map_err(|e| format!("cannot connect to RabbitMQ: {e}"))?;
    let channel = conn
        .create_channel()
        .await
        .map_err(|e| format!("cannot open a channel: {e}"))?;
    Ok((conn, channel))
}
