//! Subscription tries for the publish-subscribe patterns (zmq_socket(3),
//! ZMQ_SUBSCRIBE / ZMQ_UNSUBSCRIBE in zmq_setsockopt(3)).
//!
//! Role: a compressed prefix tree (radix tree) of byte-string topics, with
//! two users:
//! - [`Trie`] (SUB/XSUB side): a counted set of topics. Subscribing twice to
//!   one topic needs two unsubscribes; `check(msg)` says whether some
//!   subscribed topic is a prefix of `msg` (the empty topic matches all).
//! - [`MultiTrie`] (PUB/XPUB side): topics mapped to sets of [`PipeId`]s;
//!   `match_prefixes(msg, f)` calls `f` for every pipe subscribed to a prefix
//!   of `msg` (a pipe may be reported more than once when several of its
//!   topics match; the distributor dedups).
//!
//! Invariants (the shape of [`Radix`]):
//! - every non-root node has a non-empty edge label; siblings are sorted by,
//!   and distinct in, the first byte of their label;
//! - a non-root node whose value is empty has at least two children (no
//!   useless nodes: a removal prunes and merges), so the tree has at most
//!   2 × topics nodes and a match walks at most `msg.len()` bytes;
//! - all walks are iterative (no recursion), so a peer subscribing to deep
//!   chains of nested topics cannot overflow the stack.
//!
//! Semantics follow libzmq 4.3.5's trie/mtrie: `Trie::add` reports the first
//! subscription to a topic, `Trie::rm` reports the last one (and false for an
//! unknown topic); `MultiTrie::add` reports a topic that had no pipe,
//! `MultiTrie::rm` says whether the topic was unknown for that pipe, lost its
//! last pipe, or still has pipes. `num_prefixes` (ZMQ_TOPICS_COUNT) counts
//! distinct topics with a non-empty value.

use crate::socket::pipes::PipeId;

/// What a node holds: empty means "no subscription ends here".
pub trait TrieValue: Default {
    fn is_empty(&self) -> bool;
}

impl TrieValue for u32 {
    fn is_empty(&self) -> bool {
        *self == 0
    }
}

/// The pipes subscribed to one topic (sorted, distinct).
#[derive(Default, Debug, Clone)]
pub struct PipeSet(Vec<PipeId>);

impl PipeSet {
    /// Adds `id`; false when it was already there.
    fn insert(&mut self, id: PipeId) -> bool {
        match self.0.binary_search(&id) {
            Ok(_) => false,
            Err(pos) => {
                self.0.insert(pos, id);
                true
            }
        }
    }
    /// Removes `id`; false when it was not there.
    fn remove(&mut self, id: PipeId) -> bool {
        match self.0.binary_search(&id) {
            Ok(pos) => {
                self.0.remove(pos);
                true
            }
            Err(_) => false,
        }
    }
    fn contains(&self, id: PipeId) -> bool {
        self.0.binary_search(&id).is_ok()
    }
    pub fn iter(&self) -> impl Iterator<Item = PipeId> + '_ {
        self.0.iter().copied()
    }
}

impl TrieValue for PipeSet {
    fn is_empty(&self) -> bool {
        self.0.is_empty()
    }
}

struct Node<V> {
    label: Vec<u8>,
    val: V,
    children: Vec<Node<V>>,
}

impl<V: TrieValue> Node<V> {
    fn new(label: Vec<u8>) -> Node<V> {
        Node {
            label,
            val: V::default(),
            children: Vec::new(),
        }
    }
    fn head(&self) -> u8 {
        self.label.first().copied().unwrap_or(0)
    }
    fn child_pos(&self, b: u8) -> Result<usize, usize> {
        self.children.binary_search_by_key(&b, |c| c.head())
    }
}

fn common_prefix(a: &[u8], b: &[u8]) -> usize {
    a.iter().zip(b).take_while(|(x, y)| x == y).count()
}

/// A radix tree from byte strings to values (see the module header).
struct Radix<V> {
    root: Node<V>,
    /// Nodes whose value is not empty.
    prefixes: usize,
}

impl<V: TrieValue> Default for Radix<V> {
    fn default() -> Self {
        Radix {
            root: Node::new(Vec::new()),
            prefixes: 0,
        }
    }
}

impl<V: TrieValue> Radix<V> {
    /// Applies `f` to the value at `key`, creating the node when needed;
    /// the caller's `f` must leave the value non-empty. Returns what `f`
    /// returns.
    fn upsert<R>(&mut self, key: &[u8], f: impl FnOnce(&mut V) -> R) -> R {
        let mut node = &mut self.root;
        let mut rest = key;
        while let Some(&b) = rest.first() {
            match node.child_pos(b) {
                Err(pos) => {
                    node.children.insert(pos, Node::new(rest.to_vec()));
                    rest = &[];
                    // `pos` was just filled by the insert.
                    node = &mut node.children[pos];
                }
                Ok(pos) => {
                    // `pos` comes from a successful binary search.
                    let child = &mut node.children[pos];
                    let common = common_prefix(&child.label, rest);
                    if common < child.label.len() {
                        // Split the edge: a new node for the shared part.
                        let tail = child.label.split_off(common);
                        let shared = std::mem::replace(&mut child.label, tail);
                        let old = std::mem::replace(child, Node::new(shared));
                        child.children.push(old);
                    }
                    rest = rest.get(common..).unwrap_or(&[]);
                    node = child;
                }
            }
        }
        let was_empty = node.val.is_empty();
        let r = f(&mut node.val);
        if was_empty && !node.val.is_empty() {
            self.prefixes += 1;
        }
        r
    }

    /// Applies `f` to the value at `key` if the node exists, then prunes the
    /// tree around it. None when the key has no node.
    fn update<R>(&mut self, key: &[u8], f: impl FnOnce(&mut V) -> R) -> Option<R> {
        // The path of child indexes from the root to the node.
        let mut path: Vec<usize> = Vec::new();
        {
            let mut node = &self.root;
            let mut rest = key;
            while let Some(&b) = rest.first() {
                let pos = node.child_pos(b).ok()?;
                let child = node.children.get(pos)?;
                if !rest.starts_with(&child.label) {
                    return None;
                }
                rest = rest.get(child.label.len()..).unwrap_or(&[]);
                path.push(pos);
                node = child;
            }
        }
        let node = self.node_at_mut(&path)?;
        let was_empty = node.val.is_empty();
        let r = f(&mut node.val);
        let now_empty = node.val.is_empty();
        if !was_empty && now_empty {
            self.prefixes -= 1;
        }
        if now_empty {
            self.prune(&path);
        }
        Some(r)
    }

    fn node_at_mut(&mut self, path: &[usize]) -> Option<&mut Node<V>> {
        let mut node = &mut self.root;
        for &i in path {
            node = node.children.get_mut(i)?;
        }
        Some(node)
    }

    /// Restores the shape invariant after the value at `path` became empty.
    fn prune(&mut self, path: &[usize]) {
        let Some((&last, parent_path)) = path.split_last() else {
            return; // the root stays whatever it holds
        };
        let Some(parent) = self.node_at_mut(parent_path) else {
            return;
        };
        let Some(node) = parent.children.get_mut(last) else {
            return;
        };
        match node.children.len() {
            0 => {
                parent.children.remove(last);
                // The parent may now be a useless link.
                if !parent_path.is_empty() && parent.val.is_empty() && parent.children.len() == 1 {
                    merge_single_child(parent);
                }
            }
            1 => merge_single_child(node),
            _ => {}
        }
    }

    /// Calls `f` with the value of every node whose key is a prefix of
    /// `msg`, root first.
    fn for_prefixes_of<'a>(&'a self, msg: &[u8], mut f: impl FnMut(&'a V) -> bool) {
        let mut node = &self.root;
        let mut rest = msg;
        loop {
            if !node.val.is_empty() && !f(&node.val) {
                return;
            }
            let Some(&b) = rest.first() else { return };
            let Ok(pos) = node.child_pos(b) else { return };
            let Some(child) = node.children.get(pos) else {
                return;
            };
            if !rest.starts_with(&child.label) {
                return;
            }
            rest = rest.get(child.label.len()..).unwrap_or(&[]);
            node = child;
        }
    }

    /// Calls `f(key, value)` for every non-empty value (depth first, in
    /// byte order).
    fn for_each(&self, mut f: impl FnMut(&[u8], &V)) {
        let mut key: Vec<u8> = Vec::new();
        // Each entry: a node and the key length of its parent.
        let mut stack: Vec<(&Node<V>, usize)> = vec![(&self.root, 0)];
        while let Some((node, base)) = stack.pop() {
            key.truncate(base);
            key.extend_from_slice(&node.label);
            if !node.val.is_empty() {
                f(&key, &node.val);
            }
            let here = key.len();
            for c in node.children.iter().rev() {
                stack.push((c, here));
            }
        }
    }
}

fn merge_single_child<V: TrieValue>(node: &mut Node<V>) {
    if let Some(child) = node.children.pop() {
        node.label.extend_from_slice(&child.label);
        node.val = child.val;
        node.children = child.children;
    }
}

/// A counted topic set (SUB/XSUB).
#[derive(Default)]
pub struct Trie {
    tree: Radix<u32>,
}

impl Trie {
    pub fn new() -> Trie {
        Trie::default()
    }

    /// Counts one more subscription to `topic`; true when it is the first.
    pub fn add(&mut self, topic: &[u8]) -> bool {
        self.tree.upsert(topic, |c| {
            *c = c.saturating_add(1);
            *c == 1
        })
    }

    /// Counts one subscription less; true when it was the last (false when
    /// the topic was not subscribed).
    pub fn rm(&mut self, topic: &[u8]) -> bool {
        self.tree
            .update(topic, |c| {
                if *c == 0 {
                    return false;
                }
                *c -= 1;
                *c == 0
            })
            .unwrap_or(false)
    }

    /// True when some subscribed topic is a prefix of `msg`.
    pub fn check(&self, msg: &[u8]) -> bool {
        let mut found = false;
        self.tree.for_prefixes_of(msg, |_| {
            found = true;
            false
        });
        found
    }

    /// Calls `f` once for every distinct subscribed topic.
    pub fn apply(&self, mut f: impl FnMut(&[u8])) {
        self.tree.for_each(|k, _| f(k));
    }

    /// Distinct subscribed topics (ZMQ_TOPICS_COUNT).
    pub fn num_prefixes(&self) -> usize {
        self.tree.prefixes
    }
}

/// What removing one pipe's subscription did (libzmq's mtrie rm_result).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum RmResult {
    /// The pipe was not subscribed to the topic.
    NotFound,
    /// The pipe was the topic's last subscriber.
    LastValueRemoved,
    /// Other pipes remain subscribed.
    ValuesRemain,
}

/// Topics mapped to the pipes subscribed to them (PUB/XPUB).
#[derive(Default)]
pub struct MultiTrie {
    tree: Radix<PipeSet>,
}

impl MultiTrie {
    pub fn new() -> MultiTrie {
        MultiTrie::default()
    }

    /// Subscribes `pipe` to `topic`; true when the topic had no pipe before.
    pub fn add(&mut self, topic: &[u8], pipe: PipeId) -> bool {
        self.tree.upsert(topic, |s| {
            let first = s.is_empty();
            s.insert(pipe);
            first
        })
    }

    /// Unsubscribes `pipe` from `topic`.
    pub fn rm(&mut self, topic: &[u8], pipe: PipeId) -> RmResult {
        self.tree
            .update(topic, |s| {
                if !s.remove(pipe) {
                    RmResult::NotFound
                } else if s.is_empty() {
                    RmResult::LastValueRemoved
                } else {
                    RmResult::ValuesRemain
                }
            })
            .unwrap_or(RmResult::NotFound)
    }

    /// Removes every subscription of `pipe`. `f(topic)` is called for each
    /// topic that lost its last pipe, or for every topic the pipe had when
    /// `only_last` is false.
    pub fn rm_pipe(&mut self, pipe: PipeId, only_last: bool, mut f: impl FnMut(&[u8])) {
        let mut topics: Vec<Vec<u8>> = Vec::new();
        self.tree.for_each(|k, s| {
            if s.contains(pipe) {
                topics.push(k.to_vec());
            }
        });
        for t in topics {
            let r = self.rm(&t, pipe);
            if !only_last || r == RmResult::LastValueRemoved {
                f(&t);
            }
        }
    }

    /// Calls `f` for every pipe subscribed to a prefix of `msg`.
    pub fn match_prefixes(&self, msg: &[u8], mut f: impl FnMut(PipeId)) {
        self.tree.for_prefixes_of(msg, |s| {
            for p in s.iter() {
                f(p);
            }
            true
        });
    }

    /// Distinct topics with at least one pipe (ZMQ_TOPICS_COUNT).
    pub fn num_prefixes(&self) -> usize {
        self.tree.prefixes
    }
}

#[cfg(test)]
mod tests;
