//! Layout: posts -> positions. 3D force-directed ([`force3d`]) and the 2D radial view ([`radial2d`]).

pub mod radial2d;
