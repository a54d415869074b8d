//! Latency figures: percentiles of the durations measured.

use std::time::Duration;

use serde::Serialize;

/// Percentiles of a set of durations, in milliseconds (nearest rank: the smallest duration that
/// at least that share of the set does not exceed).
#[derive(Debug, Clone, Serialize, PartialEq, Eq)]
pub struct Latency {
	/// How many durations.
	pub count: usize,
	/// Half took at most this long.
	pub p50_ms: u64,
	/// 95 % took at most this long.
	pub p95_ms: u64,
	/// 99 % took at most this long.
	pub p99_ms: u64,
	/// The longest.
	pub max_ms: u64,
}

impl Latency {
	/// The percentiles of `durations`; none for an empty set.
	pub fn of(mut durations: Vec<Duration>) -> Option<Self> {
		if durations.is_empty() {
			return None;
		}
		durations.sort_unstable();
		let ms = |d: Duration| u64::try_from(d.as_millis()).unwrap_or(u64::MAX);
		let rank = |percent: usize| {
			let rank = (percent * durations.len()).div_ceil(100).max(1);
			ms(durations[rank - 1])
		};
		Some(Self {
			count: durations.len(),
			p50_ms: rank(50),
			p95_ms: rank(95),
			p99_ms: rank(99),
			max_ms: ms(durations[durations.len() - 1]),
		})
	}
}

impl std::fmt::Display for Latency {
	fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
		let s = |ms: u64| format!("{:.1} s", ms as f64 / 1000.0);
		write!(
			f,
			"p50 {}, p95 {}, p99 {}, max {} ({} measured)",
			s(self.p50_ms),
			s(self.p95_ms),
			s(self.p99_ms),
			s(self.max_ms),
			self.count
		)
	}
}

#[cfg(test)]
mod tests {
	use super::*;

	#[test]
	fn percentiles_are_nearest_rank() {
		// 1 ms to 100 ms, shuffled: each percentile is its own rank.
		let durations = (1..=100u64).rev().map(Duration::from_millis).collect();
		let latency = Latency::of(durations).expect("not empty");
		assert_eq!(
			latency,
			Latency { count: 100, p50_ms: 50, p95_ms: 95, p99_ms: 99, max_ms: 100 }
		);
	}

	#[test]
	fn a_short_set_rounds_up_and_an_empty_one_has_none() {
		let one = Latency::of(vec![Duration::from_millis(7)]).expect("one");
		assert_eq!((one.p50_ms, one.p99_ms, one.max_ms), (7, 7, 7));
		// Three: the median is the second, the 95th and 99th percentiles the third.
		let three = Latency::of([30, 10, 20].map(Duration::from_millis).to_vec()).expect("three");
		assert_eq!((three.p50_ms, three.p95_ms, three.p99_ms), (20, 30, 30));
		assert_eq!(Latency::of(Vec::new()), None);
	}
}
