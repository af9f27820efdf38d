//! The queues, declared the same way by the API and the worker: a
//! declaration with other arguments than the queue already has fails
//! with PRECONDITION_FAILED and closes the channel.

use lapin::options::QueueDeclareOptions;
use lapin::types::FieldTable;

/// The work queue.
pub const WORK: &str = "resize";
/// Where the broker moves what the worker rejects.
pub const DEAD: &str = "resize.dead";

// TODO(1): declare both queues, durable: `resize.dead` (a plain queue)
// and `resize`, whose arguments make the broker move a message it
// rejected without requeue (or that expired) to `resize.dead`: the
// dead-letter exchange is the default exchange (""), and the routing key
// it republishes with is `resize.dead`. The API and the worker both call
// this, so the queues exist whichever starts first.

/// Declares the queues.
pub async fn declare(channel: &lapin::Channel) -> lapin::Result<()> {
    let durable = QueueDeclareOptions {
        durable: true,
        ..QueueDeclareOptions::default()
    };
    // Naive: no dead-letter queue, no dead-letter arguments.
    channel
        .queue_declare(WORK.into(), durable, FieldTable::default())
        .await?;
    Ok(())
}
