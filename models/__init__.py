"""weckruf models package."""
