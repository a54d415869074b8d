//! End-to-end tests: each starts its own development node (or, for the network, four
//! validators) and drives it with the client. They share one test binary so they run side by
//! side; most of their time is spent waiting for blocks to be finalized.

mod access;
mod bench;
mod browser;
mod helpers;
mod hospital_admins;
mod join;
mod messages;
mod network;
mod page_times;
mod stalled;
mod story;
mod ui;
mod upgrade;
mod walkthrough;
