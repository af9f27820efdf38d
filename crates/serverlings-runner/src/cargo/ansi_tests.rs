//! The escape sequences test harnesses write are stripped.

#[test]
fn every_escape_form_a_test_harness_writes_is_stripped() {
    // What `--color always` test harnesses print (terminfo's sgr0 ends
    // with ESC ( B).
    let l = "test result: \u{1b}[32mok\u{1b}(B\u{1b}[m. 6 passed; 0 failed";
    assert_eq!(super::strip_ansi(l), "test result: ok. 6 passed; 0 failed");
    let l = "test a::b ... \u{1b}[32mok\u{1b}(B\u{1b}[m";
    assert_eq!(super::strip_ansi(l), "test a::b ... ok");
    // TERM=screen / tmux: sgr0 is ESC [ m then SI.
    let l = "test result: \u{1b}[32mok\u{1b}[m\u{f}. 8 passed; 0 failed";
    assert_eq!(super::strip_ansi(l), "test result: ok. 8 passed; 0 failed");
    let l = "\u{1b}]8;;file:///x\u{1b}\\x\u{1b}]8;;\u{1b}\\ and \u{1b}]0;title\u{7}y";
    assert_eq!(super::strip_ansi(l), "x and y");
    assert_eq!(
        super::harness::count("ok. 6 passed; 0 failed", " passed"),
        6
    );
}
