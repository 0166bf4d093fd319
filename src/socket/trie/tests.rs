use super::*;
use std::time::Instant;

#[test]
fn counted_add_rm_and_prefix_check() {
    let mut t = Trie::new();
    assert!(!t.check(b"anything"));
    assert!(t.add(b"abc"));
    assert!(!t.add(b"abc"));
    assert!(t.add(b"abd"));
    assert!(t.add(b"ab"));
    assert_eq!(t.num_prefixes(), 3);
    assert!(t.check(b"abc"));
    assert!(t.check(b"abcdef"));
    assert!(t.check(b"abx"), "ab is a prefix");
    assert!(!t.check(b"a"));
    assert!(!t.check(b"xyz"));
    assert!(!t.rm(b"abc"), "counted twice");
    assert!(t.rm(b"abc"));
    assert!(!t.rm(b"abc"), "already gone");
    assert!(!t.rm(b"zz"));
    assert!(!t.rm(b"a"), "inner node that is not a topic");
    assert!(t.check(b"abc"), "still matched by ab");
    assert!(t.rm(b"ab"));
    assert!(!t.check(b"abc"));
    assert!(t.check(b"abd"));
    assert_eq!(t.num_prefixes(), 1);
    // Empty topic matches everything.
    assert!(t.add(b""));
    assert!(t.check(b""));
    assert!(t.check(b"q"));
    let mut all = Vec::new();
    t.apply(|k| all.push(k.to_vec()));
    assert_eq!(all, vec![b"".to_vec(), b"abd".to_vec()]);
    assert!(t.rm(b""));
    assert!(t.rm(b"abd"));
    assert_eq!(t.num_prefixes(), 0);
    assert!(t.tree.root.children.is_empty(), "fully pruned");
}

#[test]
fn shape_stays_compact_after_removals() {
    let mut t = Trie::new();
    for k in [&b"team"[..], b"tea", b"ten", b"to", b"t"] {
        t.add(k);
    }
    for k in [&b"tea"[..], b"t", b"ten"] {
        assert!(t.rm(k));
    }
    let mut all = Vec::new();
    t.apply(|k| all.push(k.to_vec()));
    assert_eq!(all, vec![b"team".to_vec(), b"to".to_vec()]);
    // root -> "t" (no value, 2 children) -> "eam", "o"
    assert_eq!(t.tree.root.children.len(), 1);
    let n = &t.tree.root.children[0];
    assert_eq!(n.label, b"t");
    assert_eq!(n.children.len(), 2);
    assert!(t.rm(b"to"));
    assert_eq!(t.tree.root.children.len(), 1);
    assert_eq!(t.tree.root.children[0].label, b"team");
}

#[test]
fn multi_trie_matching_and_pipe_removal() {
    let mut m = MultiTrie::new();
    assert!(m.add(b"A", 1));
    assert!(!m.add(b"A", 2));
    assert!(!m.add(b"A", 2));
    assert!(m.add(b"AB", 2));
    assert!(m.add(b"", 3));
    let mut hits = Vec::new();
    m.match_prefixes(b"ABC", |p| hits.push(p));
    hits.sort();
    assert_eq!(hits, vec![1, 2, 2, 3]);
    hits.clear();
    m.match_prefixes(b"B", |p| hits.push(p));
    assert_eq!(hits, vec![3]);
    assert_eq!(m.rm(b"A", 7), RmResult::NotFound);
    assert_eq!(m.rm(b"Q", 1), RmResult::NotFound);
    assert_eq!(m.rm(b"A", 1), RmResult::ValuesRemain);
    let mut gone = Vec::new();
    m.rm_pipe(2, true, |t| gone.push(t.to_vec()));
    gone.sort();
    assert_eq!(gone, vec![b"A".to_vec(), b"AB".to_vec()]);
    assert_eq!(m.num_prefixes(), 1);
    m.add(b"X", 3);
    m.add(b"X", 4);
    let mut all = Vec::new();
    m.rm_pipe(3, false, |t| all.push(t.to_vec()));
    assert_eq!(all, vec![b"".to_vec(), b"X".to_vec()]);
    assert_eq!(m.num_prefixes(), 1);
}

#[test]
fn hundred_thousand_topics_stay_fast() {
    let start = Instant::now();
    let mut m = MultiTrie::new();
    let mut t = Trie::new();
    for i in 0..100_000u32 {
        let topic = format!("topic/{:05}/{}", i, i % 7);
        m.add(topic.as_bytes(), (i % 50) as PipeId);
        t.add(topic.as_bytes());
    }
    assert_eq!(m.num_prefixes(), 100_000);
    assert_eq!(t.num_prefixes(), 100_000);
    let mut hits = 0usize;
    for i in 0..100_000u32 {
        let msg = format!("topic/{:05}/{} payload", i, i % 7);
        m.match_prefixes(msg.as_bytes(), |_| hits += 1);
        assert!(t.check(msg.as_bytes()));
    }
    assert_eq!(hits, 100_000);
    assert!(!t.check(b"topic/99999/0"), "99999 % 7 == 3");
    for i in (0..100_000u32).step_by(2) {
        let topic = format!("topic/{:05}/{}", i, i % 7);
        assert!(t.rm(topic.as_bytes()));
        assert_eq!(
            m.rm(topic.as_bytes(), (i % 50) as PipeId),
            RmResult::LastValueRemoved
        );
    }
    assert_eq!(t.num_prefixes(), 50_000);
    let mut removed = 0;
    m.rm_pipe(1, true, |_| removed += 1);
    // i % 50 == 1 means i is odd: none of pipe 1's 2000 topics went.
    assert_eq!(removed, 2000);
    // Generous bound for an unoptimised build on a loaded machine.
    assert!(start.elapsed().as_secs() < 20, "{:?}", start.elapsed());
}

#[test]
fn deep_nesting_does_not_recurse() {
    let mut t = Trie::new();
    let key = vec![b'a'; 5_000];
    for n in 1..=5_000 {
        t.add(&key[..n]);
    }
    assert!(t.check(&key));
    let mut count = 0;
    t.apply(|_| count += 1);
    assert_eq!(count, 5_000);
    for n in 1..=5_000 {
        assert!(t.rm(&key[..n]));
    }
    assert_eq!(t.num_prefixes(), 0);
}
