//! The items (forms) that end at each node of a matcher's trie, kept in one
//! flat list: a node's items are contiguous, so a glossary of 100,000
//! concepts makes two allocations here rather than one per node.

/// Items by trie node.
pub(crate) struct NodeLists<T> {
    /// `starts[n]..starts[n + 1]` is node `n`'s range in `items`.
    starts: Vec<u32>,
    items: Vec<T>,
}

impl<T> NodeLists<T> {
    /// Gathers `(node, item)` pairs for a trie of `nodes` nodes; the items of
    /// one node keep the order they come in.
    pub(crate) fn new(nodes: usize, mut pairs: Vec<(u32, T)>) -> NodeLists<T> {
        pairs.sort_by_key(|&(node, _)| node); // stable
        let mut starts = vec![0u32; nodes + 1];
        for &(node, _) in &pairs {
            starts[node as usize + 1] += 1;
        }
        for n in 1..starts.len() {
            starts[n] += starts[n - 1];
        }
        NodeLists { starts, items: pairs.into_iter().map(|(_, item)| item).collect() }
    }

    /// The items ending at `node`.
    #[inline]
    pub(crate) fn at(&self, node: u32) -> &[T] {
        let node = node as usize;
        &self.items[self.starts[node] as usize..self.starts[node + 1] as usize]
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn items_are_grouped_by_node_in_the_order_given() {
        let lists = NodeLists::new(4, vec![(2, 'a'), (0, 'b'), (2, 'c'), (3, 'd'), (2, 'e')]);
        assert_eq!(lists.at(0), ['b']);
        assert_eq!(lists.at(1), [] as [char; 0]);
        assert_eq!(lists.at(2), ['a', 'c', 'e']);
        assert_eq!(lists.at(3), ['d']);
    }
}
