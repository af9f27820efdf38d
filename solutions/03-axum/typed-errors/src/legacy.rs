//! Code from before your time. It panics on input it did not expect, and
//! its panic messages quote customer data. Do not fix it here: the server
//! must survive it, and must not show its messages to clients.

use crate::accounts::Account;

/// A monthly statement; `month` is `YYYY-MM`.
pub fn render_statement(account: &Account, month: &str) -> String {
    let parsed = month
        .split_once('-')
        .and_then(|(year, mm)| Some((year.parse::<u16>().ok()?, mm.parse::<u8>().ok()?)));
    let Some((year, mm)) = parsed else {
        panic!(
            "statement for {} (account {}): cannot read month {month:?}",
            account.owner, account.id
        );
    };
    format!(
        "Statement {year}-{mm:02}\nAccount {} ({})\nClosing balance: {}\n",
        account.id, account.owner, account.balance
    )
}
