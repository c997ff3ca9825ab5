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
///
/// The builder only collects the paths; [`TrieBuilder::build`] sorts them
/// and lays out the nodes in one walk, so no map from `(node, label)` to
/// child is ever made (with 100,000 concepts that map was 13 MB probed at
/// random, the costliest part of indexing a glossary).
pub(crate) struct TrieBuilder<T> {
    /// Every path's labels, path after path.
    labels: Vec<u32>,
    /// Where each path's labels end in `labels` (the previous one's end is
    /// where they start).
    ends: Vec<u32>,
    /// Each path's item, in the order the paths came.
    items: Vec<T>,
}

impl<T> Default for TrieBuilder<T> {
    fn default() -> Self {
        TrieBuilder { labels: Vec::new(), ends: Vec::new(), items: Vec::new() }
    }
}

impl<T> TrieBuilder<T> {
    /// A builder with room for `labels` labels in `items` paths.
    pub(crate) fn with_capacity(labels: usize, items: usize) -> Self {
        TrieBuilder { labels: Vec::with_capacity(labels), ends: Vec::with_capacity(items), items: Vec::with_capacity(items) }
    }

    /// Adds the path of `labels` from the root, with `item` at its end.
    /// Labels are small dense ids (a stem's or a word's): building takes
    /// memory in proportion to the largest.
    pub(crate) fn insert(&mut self, labels: impl IntoIterator<Item = u32>, item: T) {
        self.labels.extend(labels);
        self.ends.push(self.labels.len() as u32);
        self.items.push(item);
    }

    /// Lays the trie out flat.
    ///
    /// The paths are sorted (equal paths in the order they came) and walked
    /// in that order, each sharing with the one before it the nodes of their
    /// common prefix and making a node for each label past it. So nodes are
    /// numbered in depth-first order, a node's children are made in label
    /// order, and the items come out grouped by node, node after node, each
    /// node's in the order they were inserted.
    pub(crate) fn build(self) -> Trie<T> {
        let TrieBuilder { labels, ends, items } = self;
        let path = |i: u32| {
            let start = if i == 0 { 0 } else { ends[i as usize - 1] as usize };
            &labels[start..ends[i as usize] as usize]
        };
        // Sorted by first label with a counting sort (labels are dense ids;
        // an empty path, at the root, before all), then each first label's
        // paths by the rest: this takes half the work of one comparison sort.
        let first = |i: u32| path(i).first().map_or(0, |&label| label as usize + 1);
        let mut starts = vec![0u32; labels.iter().max().map_or(1, |&m| m as usize + 2) + 1];
        for i in 0..items.len() as u32 {
            starts[first(i) + 1] += 1;
        }
        for b in 1..starts.len() {
            starts[b] += starts[b - 1];
        }
        let mut order = vec![0u32; items.len()];
        let mut filled = starts.clone();
        for i in 0..items.len() as u32 {
            let slot = &mut filled[first(i)];
            order[*slot as usize] = i;
            *slot += 1;
        }
        let mut scratch = SortScratch::default();
        for bucket in starts.windows(2) {
            sort_from(&mut order[bucket[0] as usize..bucket[1] as usize], 1, &path, &mut scratch);
        }
        // The walk: `along` holds the nodes of the previous path, root first;
        // node `n` is the child of edge `n - 1`.
        let mut edges: Vec<(NodeId, Edge)> = Vec::new();
        let mut ends_at: Vec<NodeId> = Vec::with_capacity(order.len());
        let mut along: Vec<NodeId> = vec![ROOT];
        let mut previous: &[u32] = &[];
        for &i in &order {
            let here = path(i);
            let shared = here.iter().zip(previous).take_while(|(a, b)| a == b).count();
            along.truncate(shared + 1);
            for &label in &here[shared..] {
                let child = edges.len() as NodeId + 1;
                edges.push((along[along.len() - 1], Edge { label, child }));
                along.push(child);
            }
            ends_at.push(along[along.len() - 1]);
            previous = here;
        }
        // Counts first, in the span after each node, then running sums.
        let mut spans = vec![Span::default(); edges.len() + 2];
        for &node in &ends_at {
            spans[node as usize + 1].items += 1;
        }
        // Each node's children into one run (a counting sort by parent, which
        // keeps the label order they were made in); the root's hashed instead.
        let mut root = FxHashMap::default();
        for &(parent, edge) in &edges {
            if parent == ROOT {
                root.insert(edge.label, edge.child);
            } else {
                spans[parent as usize + 1].children += 1;
            }
        }
        for n in 1..spans.len() {
            spans[n].children += spans[n - 1].children;
            spans[n].items += spans[n - 1].items;
        }
        let mut children = vec![Edge { label: 0, child: ROOT }; edges.len() - root.len()];
        let mut filled: Vec<u32> = spans.iter().map(|s| s.children).collect();
        for (parent, edge) in edges.into_iter().filter(|&(parent, _)| parent != ROOT) {
            let slot = &mut filled[parent as usize];
            children[*slot as usize] = edge;
            *slot += 1;
        }
        // The items in the walk's order: `order` is a permutation, so each
        // is taken once.
        let mut items: Vec<Option<T>> = items.into_iter().map(Some).collect();
        let items = order.iter().filter_map(|&i| items[i as usize].take()).collect();
        Trie { spans, children, items, root }
    }
}

/// Sorts `order`, paths that agree on their first `depth` labels, by the
/// rest of their labels (a path that ends first comes first; equal paths in
/// the order they came), one label at a time: each step sorts plain numbers
/// (the label at that depth, then the path's index) and goes on with each
/// run of paths that share the label, to the next depth. Comparing whole
/// paths instead reached into each path's labels at every comparison, and
/// one first word that many forms share (the English names of a generated
/// glossary all start with "concept") made that the costliest part of
/// indexing 100,000 concepts. Labels are below `u32::MAX` (dense ids).
/// `scratch` holds the keys and the runs still to sort, from one call to the
/// next.
fn sort_from<'a>(order: &mut [u32], depth: usize, path: &impl Fn(u32) -> &'a [u32], scratch: &mut SortScratch) {
    if order.len() < 2 {
        return;
    }
    // The label at `depth` plus one, or 0 where the path has ended.
    let label_at = |i: u32, depth: usize| path(i).get(depth).map_or(0, |&label| u64::from(label) + 1);
    // Runs still to sort, and the depth they agree to: a stack, not
    // recursion, however long the forms.
    let SortScratch { keys, runs } = scratch;
    runs.clear();
    runs.push((0, order.len(), depth));
    while let Some((start, end, depth)) = runs.pop() {
        let run = &mut order[start..end];
        if run.len() < 2 {
            continue;
        }
        keys.clear();
        keys.extend(run.iter().map(|&i| label_at(i, depth) << 32 | u64::from(i)));
        keys.sort_unstable();
        for (slot, key) in run.iter_mut().zip(keys.iter()) {
            *slot = *key as u32;
        }
        // Paths that ended are equal, already in the order they came; each
        // run of one label goes on to the next depth.
        let mut from = 0;
        while from < run.len() {
            let label = keys[from] >> 32;
            let to = from + keys[from..].iter().take_while(|&&key| key >> 32 == label).count();
            if label != 0 && to - from > 1 {
                runs.push((start + from, start + to, depth + 1));
            }
            from = to;
        }
    }
}

/// What [`sort_from`] reuses: sort keys, and runs still to sort (start,
/// end, depth).
#[derive(Default)]
struct SortScratch {
    keys: Vec<u64>,
    runs: Vec<(usize, usize, usize)>,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paths_lead_to_their_items_in_the_order_given() {
        let mut builder = TrieBuilder::default();
        builder.insert([1, 2], 'a');
        builder.insert([1], 'b');
        builder.insert([1, 2], 'c');
        builder.insert([1, 3], 'd');
        builder.insert([], 'e');
        let trie = builder.build();
        let a = trie.child(ROOT, 1).expect("the shared first edge");
        let ab = trie.child(a, 2).expect("a second edge");
        let ac = trie.child(a, 3).expect("another second edge");
        assert_eq!(trie.child(a, 4), None);
        assert_eq!(trie.child(ROOT, 2), None);
        assert_eq!(trie.child(ab, 2), None);
        assert_eq!(trie.items(ab), ['a', 'c']);
        assert_eq!(trie.items(a), ['b']);
        assert_eq!(trie.items(ac), ['d']);
        assert_eq!(trie.items(ROOT), ['e']);
        assert!(trie.node(ROOT).1.is_empty(), "the root's children are hashed, not in a run");
    }

    #[test]
    fn paths_given_in_any_order_make_the_same_trie() {
        // Paths sharing prefixes at several depths, inserted in two orders:
        // every path leads to its items, in the order they were inserted,
        // and each node's children run in label order.
        let paths: Vec<Vec<u32>> = (0..300u32).map(|i| (0..1 + i % 4).map(|k| (i * 7 + k * 13) % 5).collect()).collect();
        for reversed in [false, true] {
            let mut builder = TrieBuilder::default();
            let mut given: Vec<usize> = (0..paths.len()).collect();
            if reversed {
                given.reverse();
            }
            for &i in &given {
                builder.insert(paths[i].iter().copied(), i);
            }
            let trie = builder.build();
            for path in &paths {
                let node = path.iter().try_fold(ROOT, |node, &label| trie.child(node, label)).expect("every path is in the trie");
                let expected: Vec<usize> = given.iter().copied().filter(|&i| paths[i] == *path).collect();
                assert_eq!(trie.items(node), expected, "the items at {path:?}");
                let labels: Vec<u32> = trie.node(node).1.iter().map(|e| e.label).collect();
                assert!(labels.windows(2).all(|w| w[0] < w[1]), "children in label order at {path:?}: {labels:?}");
            }
            let items: usize = (0..trie.spans.len() - 1).map(|n| trie.items(n as NodeId).len()).sum();
            assert_eq!(items, paths.len(), "no item is lost or doubled");
        }
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
