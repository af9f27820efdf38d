//! The queues, declared the same way by the API and the worker: a
//! declaration with other arguments than the queue already has fails
//! with PRECONDITION_FAILED and closes the channel.

use lapin::options::QueueDeclareOptions;
use lapin::types::{AMQPValue, FieldTable};

/// The work queue.
pub const WORK: &str = "resize";
/// Where the broker moves what the worker rejects.
pub const DEAD: &str = "resize.dead";

/// Declares `resize.dead`, then `resize` with the default exchange as its
/// dead-letter exchange and `resize.dead` as the routing key: a message
/// rejected without requeue lands in `resize.dead`. Both durable.
pub async fn declare(channel: &lapin::Channel) -> lapin::Result<()> {
    let durable = QueueDeclareOptions {
        durable: true,
        ..QueueDeclareOptions::default()
    };
    channel
        .queue_declare(DEAD.into(), durable, FieldTable::default())
        .await?;
    let mut args = FieldTable::default();
    args.insert(
        "x-dead-letter-exchange".into(),
        AMQPValue::LongString("".into()),
    );
    args.insert(
        "x-dead-letter-routing-key".into(),
        AMQPValue::LongString(DEAD.into()),
    );
    channel.queue_declare(WORK.into(), durable, args).await?;
    Ok(())
}
