//! Test data (given): 500 products and 200 000 orders from 2000
//! customers, written once into an empty database.

use sqlx::PgPool;

pub async fn seed(pool: &PgPool) -> sqlx::Result<()> {
    let (orders,): (i64,) = sqlx::query_as("SELECT count(*) FROM orders")
        .fetch_one(pool)
        .await?;
    if orders > 0 {
        return Ok(());
    }
    sqlx::raw_sql(
        "INSERT INTO products
           SELECT g, 'product ' || g, 100 + (g * 37) % 5000 FROM generate_series(1, 500) g;
         INSERT INTO orders
           SELECT g, g % 2000 + 1, (ARRAY['open', 'paid', 'sent'])[g % 3 + 1],
                  timestamptz '2026-01-01 00:00:00+00' + g * interval '37 seconds',
                  (g * 7) % 500 + 1, g % 7 + 1, repeat(md5(g::text), 8)
           FROM generate_series(1, 200000) g;
         ANALYZE products;
         ANALYZE orders;",
    )
    .execute(pool)
    .await?;
    Ok(())
}
