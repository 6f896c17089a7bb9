//! What the samples add up to, kept as counts: per site, tier and the
//! programme a histogram by day of removal complete (its size bounded by
//! the days the samples spread over, not by their number), and per week a
//! histogram of devices still in place. Tallies of disjoint samples merge
//! by adding counts, so the result does not depend on how samples were
//! shared among threads.

use std::collections::BTreeMap;

use crate::schedule::Time;

/// The day a site's removal is never complete in a sample (some removal
/// package could not be placed before the horizon).
pub const NEVER: Time = Time::MAX;

/// Samples per day.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Hist(BTreeMap<Time, u32>);

impl Hist {
    pub fn add(&mut self, day: Time) {
        *self.0.entry(day).or_insert(0) += 1;
    }

    fn merge(&mut self, o: &Hist) {
        for (&d, &n) in &o.0 {
            *self.0.entry(d).or_insert(0) += n;
        }
    }

    /// The smallest day by which at least `q` of the samples are counted
    /// (the ⌈q·N⌉-th smallest), `None` when that is `NEVER` or empty.
    pub fn percentile(&self, q: f64) -> Option<Time> {
        let n: u64 = self.0.values().map(|&c| c as u64).sum();
        if n == 0 {
            return None;
        }
        let k = ((q * n as f64).ceil() as u64).clamp(1, n);
        let mut seen = 0u64;
        for (&d, &c) in &self.0 {
            seen += c as u64;
            if seen >= k {
                return (d != NEVER).then_some(d);
            }
        }
        None
    }

    /// Samples counted on or before `day`.
    pub fn by(&self, day: Time) -> u64 {
        self.0.range(..=day).map(|(_, &c)| c as u64).sum()
    }
}

/// The devices-in-place histogram: for weeks `0..weeks`, at the end of day
/// `7 × week`, how many samples had each bucket of devices left.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Burn {
    pub weeks: usize,
    /// Devices counted: every device of a site whose removal the
    /// published schedule completes.
    pub devices: u64,
    /// Buckets per week (`devices + 1` when small, else 2,001).
    pub buckets: usize,
    counts: Vec<u32>,
}

impl Burn {
    pub fn new(weeks: usize, devices: u64) -> Burn {
        let buckets = (devices.min(2_000) + 1) as usize;
        Burn {
            weeks,
            devices,
            buckets,
            counts: vec![0; weeks * buckets],
        }
    }

    fn bucket(&self, left: u64) -> usize {
        if self.devices == 0 {
            return 0;
        }
        ((left as u128 * (self.buckets as u128 - 1)).div_ceil(self.devices as u128)) as usize
    }

    /// Counts one sample given devices removed per week (`removed[w]`:
    /// devices whose package finished in `(7(w−1), 7w]`, 0 for day 0).
    pub fn add(&mut self, removed: &[u64]) {
        let mut gone = 0u64;
        for w in 0..self.weeks {
            gone += removed.get(w).copied().unwrap_or(0);
            let b = self.bucket(self.devices.saturating_sub(gone));
            self.counts[w * self.buckets + b] += 1;
        }
    }

    fn merge(&mut self, o: &Burn) {
        for (a, b) in self.counts.iter_mut().zip(&o.counts) {
            *a += b;
        }
    }

    /// Devices still in place at week `w` in the `q` share of samples with
    /// the fewest left (`q` = 0.9: nine samples in ten had at most this
    /// many left), rounded up to its bucket's top.
    pub fn quantile(&self, w: usize, q: f64) -> u64 {
        let row = &self.counts[w * self.buckets..(w + 1) * self.buckets];
        let n: u64 = row.iter().map(|&c| c as u64).sum();
        if n == 0 {
            return 0;
        }
        let k = ((q * n as f64).ceil() as u64).clamp(1, n);
        let mut seen = 0;
        for (b, &c) in row.iter().enumerate() {
            seen += c as u64;
            if seen >= k {
                return ((b as u128 * self.devices as u128) / (self.buckets as u128 - 1).max(1))
                    as u64;
            }
        }
        self.devices
    }
}

/// Everything counted over a run's samples.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Tally {
    pub samples: u64,
    /// Per site (plan order): removal complete day.
    pub sites: Vec<Hist>,
    /// Per tier (plan order): the day its last site's removal completes.
    pub tiers: Vec<Hist>,
    /// Per tier: samples in which every site of the tier met its deadline.
    pub tiers_on_time: Vec<u64>,
    /// The day the last site's removal completes.
    pub programme: Hist,
    /// Samples in which every site met its own deadline.
    pub all_on_time: u64,
    pub burn: Burn,
    /// Per plan target: the day its required devices are all removed.
    pub targets: Vec<Hist>,
}

impl Tally {
    pub fn new(sites: usize, tiers: usize, targets: usize, burn: Burn) -> Tally {
        Tally {
            samples: 0,
            sites: vec![Hist::default(); sites],
            tiers: vec![Hist::default(); tiers],
            tiers_on_time: vec![0; tiers],
            programme: Hist::default(),
            all_on_time: 0,
            burn,
            targets: vec![Hist::default(); targets],
        }
    }

    pub fn merge(&mut self, o: &Tally) {
        self.samples += o.samples;
        for (a, b) in self.sites.iter_mut().zip(&o.sites) {
            a.merge(b);
        }
        for (a, b) in self.tiers.iter_mut().zip(&o.tiers) {
            a.merge(b);
        }
        for (a, b) in self.tiers_on_time.iter_mut().zip(&o.tiers_on_time) {
            *a += b;
        }
        self.programme.merge(&o.programme);
        self.all_on_time += o.all_on_time;
        self.burn.merge(&o.burn);
        for (a, b) in self.targets.iter_mut().zip(&o.targets) {
            a.merge(b);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn percentiles_count_samples_in_order() {
        let mut h = Hist::default();
        for d in [5, 1, 3, 3, 9, 7, 2, 8, 4, 6] {
            h.add(d);
        }
        // Sorted: 1 2 3 3 4 5 6 7 8 9; the 5th, 8th and 10th.
        assert_eq!(h.percentile(0.5), Some(4));
        assert_eq!(h.percentile(0.8), Some(7));
        assert_eq!(h.percentile(0.95), Some(9));
        assert_eq!(h.by(3), 4);
        h.add(NEVER);
        h.add(NEVER);
        assert_eq!(h.percentile(0.95), None, "beyond the horizon: no date");
    }

    #[test]
    fn burn_quantiles_are_exact_for_small_counts() {
        let mut b = Burn::new(3, 10);
        b.add(&[0, 4, 6]);
        b.add(&[0, 2, 2]);
        assert_eq!(b.quantile(1, 0.1), 6);
        assert_eq!(b.quantile(1, 0.9), 8);
        assert_eq!(b.quantile(2, 0.9), 6);
        assert_eq!(b.quantile(0, 0.5), 10);
    }
}
