//! The checker's own look into the databases: SQL rows and EXPLAIN plans
//! from PostgreSQL, replies from Redis, each turned into a JSON document for
//! the step's JSON-path assertions.

use serde_json::{Map, Value, json};

/// Rows of a query as a JSON array of objects (every column type works:
/// PostgreSQL does the conversion).
pub async fn rows(url: &str, query: &str) -> Result<Value, String> {
    let client = serverlings_services::postgres::connect(url).await?;
    let q = query.trim().trim_end_matches(';');
    let wrapped =
        format!("SELECT coalesce(jsonb_agg(to_jsonb(q)), '[]'::jsonb)::text FROM ({q}) q");
    let text = first_text(&client, &wrapped).await?;
    serde_json::from_str(&text)
        .map_err(|e| format!("PostgreSQL returned text that is not JSON ({e})"))
}

/// `EXPLAIN (FORMAT JSON)` of a query, as `{ plan, nodes, seq_scans,
/// index_scans }`: `seq_scans` maps each table read by a sequential scan to
/// how many times, so `"$.seq_scans.orders" = { absent = true }` asserts an
/// index is used.
pub async fn explain(url: &str, query: &str) -> Result<Value, String> {
    let client = serverlings_services::postgres::connect(url).await?;
    // With sequential scans discouraged, the plan shows whether an index
    // *can* serve the query, whatever the table's size today.
    let sql = format!(
        "SET enable_seqscan = off; EXPLAIN (FORMAT JSON) {}",
        query.trim().trim_end_matches(';')
    );
    let text = first_text(&client, &sql).await?;

    let doc: Value =
        serde_json::from_str(&text).map_err(|e| format!("the plan is not JSON ({e})"))?;
    let plan = doc
        .get(0)
        .and_then(|p| p.get("Plan"))
        .cloned()
        .unwrap_or(Value::Null);
    Ok(summarise(plan))
}

pub fn summarise(plan: Value) -> Value {
    let mut nodes = Vec::new();
    let mut seq = Map::new();
    let mut idx = Map::new();
    let mut stack = vec![&plan];
    while let Some(node) = stack.pop() {
        let kind = node.get("Node Type").and_then(Value::as_str).unwrap_or("");
        nodes.push(json!(kind));
        if let Some(rel) = node.get("Relation Name").and_then(Value::as_str) {
            let map = match kind {
                "Seq Scan" => Some(&mut seq),
                "Index Scan" | "Index Only Scan" | "Bitmap Heap Scan" => Some(&mut idx),
                _ => None,
            };
            if let Some(m) = map {
                let n = m.get(rel).and_then(Value::as_u64).unwrap_or(0);
                m.insert(rel.to_string(), json!(n + 1));
            }
        }
        if let Some(children) = node.get("Plans").and_then(Value::as_array) {
            stack.extend(children.iter());
        }
    }
    json!({ "plan": plan, "nodes": nodes, "seq_scans": seq, "index_scans": idx })
}

async fn first_text(client: &tokio_postgres::Client, sql: &str) -> Result<String, String> {
    let messages = client
        .simple_query(sql)
        .await
        .map_err(|e| serverlings_services::postgres::describe(&e))?;
    messages
        .into_iter()
        .find_map(|m| match m {
            tokio_postgres::SimpleQueryMessage::Row(r) => r.get(0).map(String::from),
            _ => None,
        })
        .ok_or_else(|| "the query returned no row".to_string())
}

/// A Redis command's reply as JSON: integers as numbers, strings as
/// strings, nil as null, arrays as arrays, errors as `{ "error": "…" }`.
pub async fn redis(url: &str, args: &[String]) -> Result<Value, String> {
    let mut conn = serverlings_services::redis::Conn::open(url).await?;
    let args: Vec<&str> = args.iter().map(String::as_str).collect();
    let reply = conn.cmd(&args).await?;
    Ok(reply_json(&reply))
}

fn reply_json(r: &serverlings_services::redis::Reply) -> Value {
    use serverlings_services::redis::Reply;
    match r {
        Reply::Simple(s) => json!(s),
        Reply::Error(e) => json!({ "error": e }),
        Reply::Int(i) => json!(i),
        Reply::Bulk(Some(b)) => json!(String::from_utf8_lossy(b)),
        Reply::Bulk(None) | Reply::Array(None) => Value::Null,
        Reply::Array(Some(items)) => Value::Array(items.iter().map(reply_json).collect()),
    }
}

/// A queue of the check's RabbitMQ vhost as `{ name, messages,
/// messages_ready, messages_unacknowledged, consumers }`, `null` when it does
/// not exist: from the management API when it answers, else `rabbitmqctl`
/// (a broker on this machine).
pub async fn queue(amqp_url: &str, name: &str) -> Result<Value, String> {
    let u = serverlings_services::urls::parse(amqp_url, &serverlings_services::rabbitmq::AMQP)?;
    let vhost = if u.path.is_empty() {
        "/".to_string()
    } else {
        u.path.clone()
    };
    let (user, password) = (
        u.user.clone().unwrap_or_else(|| "guest".into()),
        u.password.clone().unwrap_or_else(|| "guest".into()),
    );
    let host = u.host.as_str();
    let enc = |s: &str| {
        url::form_urlencoded::byte_serialize(s.as_bytes())
            .collect::<String>()
            .replace('+', "%20")
    };
    let api = format!(
        "http://{host}:15672/api/queues/{}/{}",
        enc(&vhost),
        enc(name)
    );
    let client = reqwest::Client::builder()
        .no_proxy()
        .timeout(std::time::Duration::from_secs(3))
        .build()
        .map_err(|e| e.to_string())?;
    if let Ok(resp) = client
        .get(&api)
        .basic_auth(&user, Some(&password))
        .send()
        .await
    {
        if resp.status().as_u16() == 404 {
            return Ok(Value::Null);
        }
        if resp.status().is_success()
            && let Ok(v) = serde_json::from_str::<Value>(&resp.text().await.unwrap_or_default())
        {
            return Ok(json!({
                "name": name,
                "messages": v["messages"],
                "messages_ready": v["messages_ready"],
                "messages_unacknowledged": v["messages_unacknowledged"],
                "consumers": v["consumers"],
            }));
        }
    }
    let ctl =
        serverlings_services::find::program(serverlings_services::Kind::Rabbitmq, "rabbitmqctl")
            .ok_or(
                "neither RabbitMQ's management API nor rabbitmqctl is available to read the queue",
            )?;
    let mut cmd = tokio::process::Command::new(ctl);
    cmd.args([
        "list_queues",
        "-p",
        &vhost,
        "name",
        "messages",
        "messages_ready",
        "messages_unacknowledged",
        "consumers",
        "--formatter",
        "json",
    ]);
    let out = serverlings_proc::process::output_within(cmd, std::time::Duration::from_secs(20))
        .await
        .map_err(|e| format!("rabbitmqctl: {e}"))?;
    if !out.status.success() {
        return Err(format!(
            "rabbitmqctl failed: {}",
            String::from_utf8_lossy(&out.stderr).trim()
        ));
    }
    let all: Value = serde_json::from_slice(&out.stdout)
        .map_err(|e| format!("rabbitmqctl printed something that is not JSON ({e})"))?;
    Ok(all
        .as_array()
        .and_then(|qs| qs.iter().find(|q| q["name"] == name).cloned())
        .unwrap_or(Value::Null))
}

#[cfg(test)]
mod tests {
    #[test]
    fn plans_name_their_scans() {
        let plan = serde_json::json!({
            "Node Type": "Hash Join",
            "Plans": [
                { "Node Type": "Seq Scan", "Relation Name": "orders" },
                { "Node Type": "Hash", "Plans": [{ "Node Type": "Index Scan", "Relation Name": "customers" }] }
            ]
        });
        let s = super::summarise(plan);
        assert_eq!(s["seq_scans"]["orders"], 1);
        assert_eq!(s["index_scans"]["customers"], 1);
        assert!(s["seq_scans"].get("customers").is_none());
        assert_eq!(s["nodes"].as_array().unwrap().len(), 4);
    }
}
