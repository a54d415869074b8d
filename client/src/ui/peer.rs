//! Who is on the other end of a connection to `ehr ui`: on Linux, the kernel's socket table says
//! which user owns the client's end, so a connection from another account of this machine is
//! refused even when it carries the session's cookie (browsers send a cookie for 127.0.0.1 to
//! every port of it, so another user's server on this machine could receive it).

use std::net::SocketAddr;

/// Whether the connection from `peer` to `local` comes from the user this process runs as.
/// Fails closed: when the table cannot be read or holds no such connection, it is not.
#[cfg(target_os = "linux")]
pub fn same_user(peer: SocketAddr, local: SocketAddr) -> bool {
	use std::os::unix::fs::MetadataExt;
	let Ok(own) = std::fs::metadata("/proc/self").map(|m| m.uid()) else { return false };
	let table = match peer {
		SocketAddr::V4(_) => "/proc/net/tcp",
		SocketAddr::V6(_) => "/proc/net/tcp6",
	};
	std::fs::read_to_string(table)
		.ok()
		.and_then(|table| owner(&table, peer, local))
		.is_some_and(|uid| uid == own)
}

/// Elsewhere the socket table is not read: the session's secret is the only check.
#[cfg(not(target_os = "linux"))]
pub fn same_user(_peer: SocketAddr, _local: SocketAddr) -> bool {
	true
}

/// The owner of the socket whose own address is `peer` and whose remote address is `local`, in
/// a table of `/proc/net/tcp`'s format (addresses as hex; ports big-endian).
pub fn owner(table: &str, peer: SocketAddr, local: SocketAddr) -> Option<u32> {
	let port_of = |address: &str| {
		address.rsplit_once(':').and_then(|(_, port)| u16::from_str_radix(port, 16).ok())
	};
	table.lines().skip(1).find_map(|line| {
		let fields: Vec<&str> = line.split_whitespace().collect();
		let (own, remote, uid) = (fields.get(1)?, fields.get(2)?, fields.get(7)?);
		(port_of(own)? == peer.port() && port_of(remote)? == local.port())
			.then(|| uid.parse().ok())
			.flatten()
	})
}

#[cfg(test)]
mod tests {
	use super::*;

	const TABLE: &str = "  sl  local_address rem_address   st tx_queue rx_queue tr tm->when retrnsmt   uid  timeout inode
   0: 0100007F:2224 00000000:0000 0A 00000000:00000000 00:00000000 00000000     0        0 1 1 0000000000000000 100 0 0 10 0
   1: 0100007F:D431 0100007F:2224 01 00000000:00000000 00:00000000 00000000  1000        0 2 1 0000000000000000 20 4 30 10 -1
   2: 0100007F:2224 0100007F:D431 01 00000000:00000000 00:00000000 00000000     0        0 3 1 0000000000000000 20 4 30 10 -1";

	#[test]
	fn the_client_end_names_its_owner() {
		let local: SocketAddr = "127.0.0.1:8740".parse().unwrap();
		let peer: SocketAddr = "127.0.0.1:54321".parse().unwrap();
		assert_eq!(owner(TABLE, peer, local), Some(1000));
		let stranger: SocketAddr = "127.0.0.1:54322".parse().unwrap();
		assert_eq!(owner(TABLE, stranger, local), None);
	}

	#[cfg(target_os = "linux")]
	#[test]
	fn a_connection_of_this_process_is_its_users() {
		let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
		let local = listener.local_addr().unwrap();
		let client = std::net::TcpStream::connect(local).unwrap();
		let (_, peer) = listener.accept().unwrap();
		assert!(same_user(peer, local));
		drop(client);
	}
}
