//! Where published counts sit geographically: the regions of every scheme a figure is published by, and the
//! places where those regions overlap.
//!
//! Connecticut's planning regions and counties do not nest (Shelton is in Fairfield County but the Naugatuck
//! Valley region), so a county minus the planning regions inside it is the count of a few towns. A web of
//! counts published by both schemes therefore counts each *place* (the towns that share one region in every
//! scheme) too, unpublished, and ties every region to its places, so suppression protects those differences
//! like any other count.

/// The region coordinates of a web: 0 is "all", then every scheme's regions in order, then (with more than
/// one scheme, and never published) the places.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct RegionLayout {
    /// How many regions each scheme has, in publication order.
    schemes: Vec<usize>,
    /// Each place's region in every scheme, 1-based.
    places: Vec<Vec<usize>>,
}

impl RegionLayout {
    /// One scheme of `regions` regions: each region is a place.
    pub fn single(regions: usize) -> Self {
        Self { schemes: vec![regions], places: (1..=regions).map(|r| vec![r]).collect() }
    }

    /// Several schemes (`schemes` regions each) whose overlaps are `places`: each the 1-based region it lies
    /// in, in every scheme. Every region should hold at least one place.
    pub fn crossed(schemes: Vec<usize>, places: Vec<Vec<usize>>) -> Self {
        debug_assert!(places.iter().all(|p| p.len() == schemes.len()));
        debug_assert!(places.iter().all(|p| p.iter().zip(&schemes).all(|(r, n)| (1..=*n).contains(r))));
        Self { schemes, places }
    }

    /// The coordinate of region `region` (1-based) of scheme `scheme` (0-based); region 0 stays "all".
    pub fn region(&self, scheme: usize, region: usize) -> usize {
        if region == 0 { 0 } else { self.schemes[..scheme].iter().sum::<usize>() + region }
    }

    /// How many regions scheme `scheme` has.
    pub fn regions(&self, scheme: usize) -> usize {
        self.schemes[scheme]
    }

    /// How many places there are (1-based in [`RegionLayout::regions_of`]).
    pub fn places(&self) -> usize {
        self.places.len()
    }

    /// Published coordinates, besides "all": every scheme's regions.
    pub fn published(&self) -> usize {
        self.schemes.iter().sum()
    }

    /// Every coordinate, "all" and the unpublished places included. With one scheme a place is its region
    /// and has no coordinate of its own.
    pub fn coordinates(&self) -> usize {
        let places = if self.schemes.len() > 1 { self.places.len() } else { 0 };
        1 + self.published() + places
    }

    /// The coordinates place `place` (1-based) counts in: "all", its region in each scheme, and its own.
    pub fn regions_of(&self, place: usize) -> Vec<usize> {
        let mut out = vec![0];
        out.extend(self.places[place - 1].iter().enumerate().map(|(s, r)| self.region(s, *r)));
        if self.coordinates() > 1 + self.published() {
            out.push(1 + self.published() + place - 1);
        }
        out
    }

    /// Every coordinate that is the sum of others, with those others: "all" of each scheme's regions, and
    /// (with more than one scheme) each region of its places.
    pub fn parts(&self) -> Vec<(usize, Vec<usize>)> {
        let mut parts: Vec<(usize, Vec<usize>)> =
            (0..self.schemes.len()).map(|s| (0, (1..=self.schemes[s]).map(|r| self.region(s, r)).collect())).collect();
        if self.coordinates() > 1 + self.published() {
            for (s, &regions) in self.schemes.iter().enumerate() {
                for r in 1..=regions {
                    let places = (1..=self.places.len()).filter(|&p| self.places[p - 1][s] == r);
                    parts.push((self.region(s, r), places.map(|p| self.published() + p).collect()));
                }
            }
        }
        parts
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn one_scheme_has_no_place_coordinates() {
        let layout = RegionLayout::single(3);
        assert_eq!((layout.coordinates(), layout.regions_of(2)), (4, vec![0, 2]));
        assert_eq!(layout.parts(), vec![(0, vec![1, 2, 3])]);
    }

    #[test]
    fn crossed_schemes_tie_each_region_to_its_places() {
        // Scheme A: regions 1 and 2; scheme B: regions 1 and 2. Place 2 is A's 2 inside B's 1.
        let layout = RegionLayout::crossed(vec![2, 2], vec![vec![1, 1], vec![2, 1], vec![2, 2]]);
        assert_eq!(layout.coordinates(), 1 + 4 + 3);
        assert_eq!(layout.region(1, 1), 3, "B's first region follows A's two");
        assert_eq!(layout.regions_of(2), vec![0, 2, 3, 6]);
        let parts = layout.parts();
        assert!(parts.contains(&(0, vec![1, 2])) && parts.contains(&(0, vec![3, 4])), "each scheme sums to all");
        assert!(parts.contains(&(3, vec![5, 6])), "B's first region is places 1 and 2: {parts:?}");
    }
}
