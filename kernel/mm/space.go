package mm

// Protection bits of a region (Linux's PROT_* values).
const (
	ProtRead  = 0x1
	ProtWrite = 0x2
	ProtExec  = 0x4
)

// Region is a range of the address space the Go runtime mapped, with its
// protection. Pages of a region with ProtRead or ProtWrite are demand-zero:
// each is backed by a fresh zeroed frame at its first touch.
type Region struct {
	Start, End uintptr
	Prot       uint32
}

const maxRegions = 1024

// Space is the kernel address space from which the runtime host serves the
// Go runtime's mmap calls: [Lo, Hi) in the upper half, sorted regions, and
// a bump pointer for new reservations (virtual space is never reused, so
// stale pointers fault rather than alias).
type Space struct {
	Lo, Hi  uintptr
	PML4    uint64
	next    uintptr
	regions [maxRegions]Region
	n       int
}

// Init sets up an empty space over [lo, hi) using the page tables at pml4.
func (s *Space) Init(lo, hi uintptr, pml4 uint64) {
	s.Lo, s.Hi, s.PML4, s.next, s.n = lo, hi, pml4, lo, 0
}

// Contains reports whether [start, end) lies inside the space.
func (s *Space) Contains(start, end uintptr) bool {
	return start >= s.Lo && end <= s.Hi && start < end
}

// IsFree reports whether no region overlaps [start, end).
func (s *Space) IsFree(start, end uintptr) bool {
	for i := 0; i < s.n; i++ {
		r := &s.regions[i]
		if r.Start < end && start < r.End {
			return false
		}
	}
	return true
}

// Reserve returns a fresh range of length bytes (page-aligned), or false if
// the space is exhausted. Ranges of 64 KiB or more are 64 KiB aligned.
func (s *Space) Reserve(length uintptr) (uintptr, bool) {
	align := uintptr(PageSize)
	if length >= 64<<10 {
		align = 64 << 10
	}
	start := (s.next + align - 1) &^ (align - 1)
	if start+length > s.Hi || start+length < start {
		return 0, false
	}
	s.next = start + length
	return start, true
}

// Lookup returns the protection of the region holding va.
func (s *Space) Lookup(va uintptr) (uint32, bool) {
	for i := 0; i < s.n; i++ {
		r := &s.regions[i]
		if va >= r.Start && va < r.End {
			return r.Prot, true
		}
	}
	return 0, false
}

// Set makes [start, end) one region with protection prot, replacing what
// was there. Pages of the old regions stay mapped (their contents survive,
// as mprotect requires) unless prot is 0, in which case they are freed.
// It returns false if the region table is full.
func (s *Space) Set(start, end uintptr, prot uint32) bool {
	if !s.cut(start, end) {
		return false
	}
	if prot == 0 {
		UnmapRange(s.PML4, start, end, true)
	}
	i := 0
	for i < s.n && s.regions[i].Start < start {
		i++
	}
	if s.n == maxRegions {
		return false
	}
	copy(s.regions[i+1:s.n+1], s.regions[i:s.n])
	s.regions[i] = Region{start, end, prot}
	s.n++
	s.merge(i)
	return true
}

// Remove unmaps [start, end): its regions go away and their frames are freed.
func (s *Space) Remove(start, end uintptr) bool {
	if !s.cut(start, end) {
		return false
	}
	UnmapRange(s.PML4, start, end, true)
	return true
}

// Discard frees the frames behind [start, end) but keeps the regions, so
// the next touch sees zeroes (MADV_DONTNEED).
func (s *Space) Discard(start, end uintptr) {
	UnmapRange(s.PML4, start, end, true)
}

// Fault backs the page holding va with a zeroed frame if a readable or
// writable region covers it. It returns false if va is outside every such
// region or memory is exhausted.
func (s *Space) Fault(va uintptr) bool {
	prot, ok := s.Lookup(va)
	if !ok || prot&(ProtRead|ProtWrite) == 0 {
		return false
	}
	page := va &^ (PageSize - 1)
	if e := Walk(s.PML4, page, false); e != nil && *e&PTE_P != 0 {
		return true // another CPU got here first
	}
	p, ok := AllocFrame()
	if !ok {
		return false
	}
	if !Map(s.PML4, page, p, PTE_W) {
		FreeFrame(p)
		return false
	}
	return true
}

// Populate makes sure every page of [start, end) that a region allows is
// backed, so that the runtime host can touch it without faulting. It
// returns false if part of the range is not mapped readable.
func (s *Space) Populate(start, end uintptr) bool {
	for va := start &^ (PageSize - 1); va < end; va += PageSize {
		if !s.Contains(va, va+1) {
			continue // not ours (kernel image, direct map, stacks): always mapped
		}
		if e := Walk(s.PML4, va, false); e != nil && *e&PTE_P != 0 {
			continue
		}
		if !s.Fault(va) {
			return false
		}
	}
	return true
}

// Regions returns how many regions the space has.
func (s *Space) Regions() int { return s.n }

// cut removes [start, end) from the region list, splitting regions that
// straddle its ends. It returns false if a split would overflow the table.
func (s *Space) cut(start, end uintptr) bool {
	for i := 0; i < s.n; i++ {
		r := s.regions[i]
		if r.End <= start || r.Start >= end {
			continue
		}
		if r.Start < start && r.End > end { // split in two
			if s.n == maxRegions {
				return false
			}
			copy(s.regions[i+2:s.n+1], s.regions[i+1:s.n])
			s.regions[i] = Region{r.Start, start, r.Prot}
			s.regions[i+1] = Region{end, r.End, r.Prot}
			s.n++
			return true
		}
		switch {
		case r.Start < start:
			s.regions[i].End = start
		case r.End > end:
			s.regions[i].Start = end
		default:
			copy(s.regions[i:s.n-1], s.regions[i+1:s.n])
			s.n--
			i--
		}
	}
	return true
}

// merge joins region i with equal-protection neighbours that touch it.
func (s *Space) merge(i int) {
	if i+1 < s.n && s.regions[i].End == s.regions[i+1].Start && s.regions[i].Prot == s.regions[i+1].Prot {
		s.regions[i].End = s.regions[i+1].End
		copy(s.regions[i+1:s.n-1], s.regions[i+2:s.n])
		s.n--
	}
	if i > 0 && s.regions[i-1].End == s.regions[i].Start && s.regions[i-1].Prot == s.regions[i].Prot {
		s.regions[i-1].End = s.regions[i].End
		copy(s.regions[i:s.n-1], s.regions[i+1:s.n])
		s.n--
	}
}
