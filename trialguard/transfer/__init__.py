"""A transfer among transfers: record keys, comparison with the previous one, manifest, waivers."""
