package sqlite_test

import "os"

func osStat(path string) (string, error) {
	fi, err := os.Stat(path)
	if err != nil {
		return "", err
	}
	return fi.Mode().String(), nil
}
