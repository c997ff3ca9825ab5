//! The trie of a matcher: nodes joined by labelled edges (a stem or word id
//! each), and the items (forms) that end at each node, laid out flat for the
//! walk along a phrase.
//!
//! A phrase is walked one token at a time, and with thousands of concepts
//! every step lands on memory no other step touched, so the layout is made
//! for few cache lines per step: one array of node spans says where a node's
//! children and its items start (the next node's span says where they end,
//! so both come from one line), the children of a node are one sorted run
//! of `(label, child)` pairs, and its items one run. The root, which has a
//! child for every stem that starts a form, keeps its children hashed
//! instead; its lookups are made once per distinct token and cached.

use rustc_hash::FxHashMap;

/// A node of the trie; the root is [`ROOT`].
pub(crate) type NodeId = u32;

/// The root node.
pub(crate) const ROOT: NodeId = 0;

/// Where one node's children and items start in [`Trie::children`] and
/// [`Trie::items`].
#[derive(Clone, Copy, Default)]
struct Span {
    children: u32,
    items: u32,
}

/// One edge: its label and the node it leads to.
#[derive(Clone, Copy)]
pub(crate) struct Edge {
    label: u32,
    child: NodeId,
}

/// A trie with items of type `T` at its nodes. Built by [`TrieBuilder`].
pub(crate) struct Trie<T> {
    /// One span a node, and one past the last node.
    spans: Vec<Span>,
    /// Each node's children, sorted by label, node after node; the root's
    /// are in [`Trie::root`] only.
    children: Vec<Edge>,
    /// Each node's items in the order they were inserted, node after node.
    items: Vec<T>,
    /// The root's children, by label.
    root: FxHashMap<u32, NodeId>,
}

impl<T> Default for Trie<T> {
    /// The trie of nothing: a root with no children and no items.
    fn default() -> Self {
        TrieBuilder::default().build()
    }
}

impl<T> Trie<T> {
    /// The node the edge labelled `label` leads to from `node`, if any.
    #[inline]
    pub(crate) fn child(&self, node: NodeId, label: u32) -> Option<NodeId> {
        if node == ROOT {
            return self.root.get(&label).copied();
        }
        self.child_in(self.node(node).1, label)
    }

    /// The child labelled `label` among `children` (a node's but the root's,
    /// from [`Trie::node`]).
    #[inline]
    pub(crate) fn child_in(&self, children: &[Edge], label: u32) -> Option<NodeId> {
        // Most nodes below the root have one child or a few.
        if children.len() <= 8 {
            return children.iter().find(|e| e.label == label).map(|e| e.child);
        }
        children.binary_search_by_key(&label, |e| e.label).ok().map(|i| children[i].child)
    }

    /// The items ending at `node`.
    #[inline]
    pub(crate) fn items(&self, node: NodeId) -> &[T] {
        self.node(node).0
    }

    /// The items ending at `node`, and its children (for [`Trie::child_in`];
    /// none for the root, whose children [`Trie::child`] finds).
    #[inline]
    pub(crate) fn node(&self, node: NodeId) -> (&[T], &[Edge]) {
        let node = node as usize;
        let (here, next) = (self.spans[node], self.spans[node + 1]);
        (&self.items[here.items as usize..next.items as usize], &self.children[here.children as usize..next.children as usize])
    }
}

/// Builds a [`Trie`]: paths of labels are inserted one after another, each
/// with the item that ends there.
pub(crate) struct TrieBuilder<T> {
    edges: FxHashMap<(NodeId, u32), NodeId>,
    nodes: usize,
    items: Vec<(NodeId, T)>,
}

impl<T> Default for TrieBuilder<T> {
    fn default() -> Self {
        TrieBuilder { edges: FxHashMap::default(), nodes: 1, items: Vec::new() }
    }
}

impl<T> TrieBuilder<T> {
    /// A builder with room for `edges` edges and `items` items.
    pub(crate) fn with_capacity(edges: usize, items: usize) -> Self {
        let mut builder = TrieBuilder::default();
        builder.edges.reserve(edges);
        builder.items.reserve(items);
        builder
    }

    /// Follows (or makes) the path of `labels` from the root and puts `item`
    /// at its end; returns the node.
    pub(crate) fn insert(&mut self, labels: impl IntoIterator<Item = u32>, item: T) -> NodeId {
        let mut node = ROOT;
        for label in labels {
            let next_node = self.nodes as NodeId;
            node = *self.edges.entry((node, label)).or_insert(next_node);
            if node == next_node {
                self.nodes += 1;
            }
        }
        self.items.push((node, item));
        node
    }

    /// Lays the trie out flat.
    pub(crate) fn build(self) -> Trie<T> {
        let TrieBuilder { edges, nodes, items } = self;
        // Counts first, in the span after each node, then running sums.
        let mut spans = vec![Span::default(); nodes + 1];
        let root_children = edges.keys().filter(|&&(parent, _)| parent == ROOT).count();
        for &(parent, _) in edges.keys().filter(|&&(parent, _)| parent != ROOT) {
            spans[parent as usize + 1].children += 1;
        }
        for &(node, _) in &items {
            spans[node as usize + 1].items += 1;
        }
        for n in 1..spans.len() {
            spans[n].children += spans[n - 1].children;
            spans[n].items += spans[n - 1].items;
        }
        // Each edge into its parent's run (a counting sort), then each run
        // sorted by label: most runs are one edge long.
        let mut children = vec![Edge { label: 0, child: ROOT }; edges.len() - root_children];
        let mut filled: Vec<u32> = spans.iter().map(|s| s.children).collect();
        let mut root = FxHashMap::default();
        root.reserve(root_children);
        for ((parent, label), child) in edges {
            if parent == ROOT {
                root.insert(label, child);
                continue;
            }
            let slot = &mut filled[parent as usize];
            children[*slot as usize] = Edge { label, child };
            *slot += 1;
        }
        for n in 0..nodes {
            let run = &mut children[spans[n].children as usize..spans[n + 1].children as usize];
            if run.len() > 1 {
                run.sort_unstable_by_key(|e| e.label);
            }
        }
        // The items the same way, in the order they came: a node's keep theirs.
        let mut placed: Vec<Option<T>> = std::iter::repeat_with(|| None).take(items.len()).collect();
        let mut filled: Vec<u32> = spans.iter().map(|s| s.items).collect();
        for (node, item) in items {
            let slot = &mut filled[node as usize];
            placed[*slot as usize] = Some(item);
            *slot += 1;
        }
        // Every slot was filled once: the counts above are the items'.
        Trie { spans, children, items: placed.into_iter().flatten().collect(), root }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paths_lead_to_their_items_in_the_order_given() {
        let mut builder = TrieBuilder::default();
        let ab = builder.insert([1, 2], 'a');
        let a = builder.insert([1], 'b');
        assert_eq!(builder.insert([1, 2], 'c'), ab);
        let ac = builder.insert([1, 3], 'd');
        let trie = builder.build();
        assert_eq!(trie.child(ROOT, 1), Some(a));
        assert_eq!(trie.child(a, 2), Some(ab));
        assert_eq!(trie.child(a, 3), Some(ac));
        assert_eq!(trie.child(a, 4), None);
        assert_eq!(trie.child(ROOT, 2), None);
        assert_eq!(trie.items(ab), ['a', 'c']);
        assert_eq!(trie.items(a), ['b']);
        assert_eq!(trie.items(ac), ['d']);
        assert_eq!(trie.items(ROOT), [] as [char; 0]);
        assert!(trie.node(ROOT).1.is_empty(), "the root's children are hashed, not in a run");
    }

    #[test]
    fn a_node_with_many_children_finds_each_of_them() {
        // More children than the linear search takes: the binary search.
        let mut builder = TrieBuilder::default();
        let labels: Vec<u32> = (0..40).map(|i| (i * 7919) % 1000).collect();
        for &label in &labels {
            builder.insert([5, label], label);
        }
        let trie = builder.build();
        let five = trie.child(ROOT, 5).expect("the shared first edge");
        assert_eq!(trie.node(five).1.len(), labels.len());
        for &label in &labels {
            let child = trie.child(five, label).expect("every child is found");
            assert_eq!(trie.items(child), [label]);
        }
        for missing in [1, 999, 1000, u32::MAX] {
            assert!(!labels.contains(&missing));
            assert_eq!(trie.child(five, missing), None);
        }
    }
}
