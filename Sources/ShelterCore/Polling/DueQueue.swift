/// The devices of one bus ordered by when each is next due: a binary min-heap over device indices, so
/// choosing the next device and rescheduling it cost O(log n) and copy nothing (issue 13: the scheduler no
/// longer scans every device's state on each poll). Ties go to the lower index, so devices due together
/// keep their site-file order.
///
/// Pure value; not thread-safe.
public struct DueQueue<Instant: Comparable & Sendable>: Sendable {
    private var heap: [(due: Instant, index: Int)] = []

    /// An empty queue.
    public init() {}

    /// Every index `0..<count` due at `now`.
    public init(count: Int, dueAt now: Instant) {
        heap = (0..<count).map { (now, $0) }  // already a heap: equal keys in index order
    }

    /// Number of entries.
    public var count: Int { heap.count }

    /// The earliest entry, without removing it.
    public var first: (due: Instant, index: Int)? { heap.first }

    /// When the entry after the earliest is due (the earlier of the heap root's children), without removing
    /// anything; `nil` with fewer than two entries. O(1): the bus worker asks it to see whether the bus has
    /// slack before the next device.
    public var secondDue: Instant? {
        switch heap.count {
        case 0, 1: nil
        case 2: heap[1].due
        default: min(heap[1].due, heap[2].due)
        }
    }

    /// Adds `index`, due at `due`.
    public mutating func insert(_ index: Int, dueAt due: Instant) {
        heap.append((due, index))
        var child = heap.count - 1
        while child > 0 {
            let parent = (child - 1) / 2
            guard Self.precedes(heap[child], heap[parent]) else { break }
            heap.swapAt(child, parent)
            child = parent
        }
    }

    /// Removes and returns the earliest entry.
    public mutating func popFirst() -> (due: Instant, index: Int)? {
        guard let top = heap.first else { return nil }
        let last = heap.removeLast()
        guard !heap.isEmpty else { return top }
        heap[0] = last
        var parent = 0
        while true {
            let left = 2 * parent + 1
            let right = left + 1
            var smallest = parent
            if left < heap.count, Self.precedes(heap[left], heap[smallest]) { smallest = left }
            if right < heap.count, Self.precedes(heap[right], heap[smallest]) { smallest = right }
            guard smallest != parent else { break }
            heap.swapAt(parent, smallest)
            parent = smallest
        }
        return top
    }

    private static func precedes(_ a: (due: Instant, index: Int), _ b: (due: Instant, index: Int)) -> Bool {
        a.due < b.due || (a.due == b.due && a.index < b.index)
    }
}
