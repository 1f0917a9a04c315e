package qrscan

import (
	"os"
	"testing"
	"fmt"
)

func TestDebugStages(t *testing.T) {
	if os.Getenv("QRDEBUG") == "" {
		t.Skip()
	}
	corpus, _ := makeCorpus(20, map[string]bool{os.Getenv("QRDEBUG"): true})
	for _, c := range corpus {
		os.WriteFile(fmt.Sprintf("/tmp/qr-%s-%02d.%s", c.category, c.index, c.ext), c.file, 0o644)
		l := lumaFromImage(c.img)
		st := &cascadeState{orig: l}
		line := fmt.Sprintf("%s-%02d %dx%d:", c.category, c.index, l.w, l.h)
		for _, s := range cascade {
			n := len(s.run(st))
			line += fmt.Sprintf(" %s=%d", s.name, n)
		}
		t.Log(line)
	}
}
